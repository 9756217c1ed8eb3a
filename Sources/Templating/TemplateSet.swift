import PharosCore

/// Options of a template set (Go's `Template.Option`).
package struct TemplateOptions: Sendable {
    /// What a missing map key yields (Go's `missingkey=`).
    package var missingKey: MissingKey = .invalid
    /// Escape action output for its HTML context, as Go's `html/template` (see `HTMLEscaper`).
    package var html: Bool = false
    package init(missingKey: MissingKey = .invalid, html: Bool = false) {
        self.missingKey = missingKey
        self.html = html
    }
}

/// A set of named templates sharing one function map, like a Go `*template.Template` with its
/// associated templates. A value type: parsing into a copy never changes the original, so one
/// set parsed from `default.tmpl` can be shared by every notification (Go's `Clone`).
///
/// Thread-safety: `Sendable`; executions of one set may run concurrently.
package struct TemplateSet: Sendable {
    package private(set) var functions: [String: TemplateFunction]
    /// Applies to executions started after a change.
    package var options: TemplateOptions
    private(set) var trees: [String: Tree] = [:]

    /// A set with Go's builtins plus `functions` (which may replace builtins).
    package init(functions: [String: TemplateFunction] = [:], options: TemplateOptions = TemplateOptions()) {
        self.functions = Builtins.functions.merging(functions) { $1 }
        self.options = options
    }

    /// Adds or replaces functions; they are visible to texts parsed afterwards.
    package mutating func addFunctions(_ functions: [String: TemplateFunction]) {
        self.functions.merge(functions) { $1 }
    }

    /// The names of the templates defined so far, sorted.
    package var templateNames: [String] { trees.keys.sorted() }

    /// Parses `text` as template `name`; its `define`/`block`s join the set. As in Go, a
    /// definition replaces an earlier one of the same name unless its body is empty.
    /// Throws a `.parse` error (`template: NAME:LINE: …`).
    package mutating func parse(_ text: String, name: String) throws(TemplateError) {
        let functions = self.functions
        var parser = try Parser(name: name, text: text) { functions[$0] != nil }
        let top = try parser.parse()
        for tree in parser.definitions { add(tree) }
        add(top)
    }

    private mutating func add(_ tree: Tree) {
        if let existing = trees[tree.name], tree.isEmpty, !existing.isEmpty { return }
        trees[tree.name] = tree
    }

    /// Whether a template of that name exists.
    package func contains(_ name: String) -> Bool { trees[name] != nil }

    /// Executes the named template with `data` as dot. Throws `.execution` errors in Go's
    /// words (`template: NAME:LINE:COL: executing "NAME" at <.x>: …`).
    package func execute(_ name: String, data: TemplateValue) async throws(TemplateError) -> String {
        try await execute(name, data: data, depth: 0)
    }

    func execute(_ name: String, data: TemplateValue, depth: Int) async throws(TemplateError) -> String {
        guard let tree = trees[name] else {
            throw TemplateError(.execution, "template: no template \(goQuote(name)) associated with template \(goQuote(name))")
        }
        if depth >= Executor.maxTemplateDepth {
            throw TemplateError(.execution, "template: \(name): exceeded maximum template depth (\(Executor.maxTemplateDepth))")
        }
        let executor = Executor(set: self, tree: tree, dot: data, depth: depth, html: options.html ? HTMLEscaper() : nil)
        _ = try await executor.walk(tree.root, dot: data)
        return executor.output
    }

    /// Parses `text` into a copy of this set under `name` and executes it: how Alertmanager
    /// renders a receiver field (`{{ template "slack.default.title" . }}`) against its templates.
    package func render(_ text: String, name: String = "", data: TemplateValue, html: Bool? = nil) async throws(TemplateError) -> String {
        var copy = self
        if let html { copy.options.html = html }
        copy.trees[name] = nil
        try copy.parse(text, name: name)
        return try await copy.execute(name, data: data)
    }
}
