import PharosCore

/// Go's `missingkey` option: what a missing map key yields.
package enum MissingKey: Sendable {
    /// `<no value>` when printed (Go's default).
    case invalid
    /// The map's zero element (`""` for string maps); Prometheus and Alertmanager use this.
    case zero
    /// An execution error `map has no entry for key "x"`.
    case error
}

/// Walks a tree against data, after Go's `text/template/exec.go`. One per execution; not Sendable.
final class Executor {
    /// How deeply `{{template}}` calls may nest (Go allows 100000; we stop far earlier because
    /// real templates nest a handful of levels and a loop should fail fast).
    static let maxTemplateDepth = 1000

    let set: TemplateSet
    /// Shared by nested template calls of one HTML execution.
    let html: HTMLEscaper?
    var tree: Tree
    var vars: [(name: String, value: TemplateValue)]
    var depth: Int
    var output = ""
    /// Go's static type of dot when it differs from its value's (an element of a
    /// `[]interface {}` ranged over is an `interface {}`); used in error messages only.
    private var dotStaticType: String?
    /// The node being evaluated, for error contexts.
    private var node: (pos: Int, text: String)?

    enum Flow { case normal, `break`, `continue` }

    init(set: TemplateSet, tree: Tree, dot: TemplateValue, depth: Int, html: HTMLEscaper? = nil) {
        self.set = set
        self.html = html
        self.tree = tree
        self.vars = [("$", dot)]
        self.depth = depth
    }

    // MARK: errors

    func at(_ pos: Int, _ text: String) { node = (pos, text) }

    func error(_ message: String) -> TemplateError {
        guard let node else { return TemplateError(.execution, "template: \(tree.name): \(message)") }
        let context = node.text
        return TemplateError(.execution,
            "template: \(tree.location(of: node.pos)): executing \(goQuote(tree.name)) at <\(context)>: \(message)")
    }

    // MARK: walking

    func walk(_ nodes: [Node], dot: TemplateValue) async throws(TemplateError) -> Flow {
        for n in nodes {
            let flow = try await walk(n, dot: dot)
            if flow != .normal { return flow }
        }
        return .normal
    }

    func walk(_ n: Node, dot: TemplateValue) async throws(TemplateError) -> Flow {
        switch n {
        case .text(let t):
            output += html?.text(t) ?? t
        case .action(let pipe, _):
            let value = try await evalPipeline(dot, pipe)
            if pipe.decls.isEmpty {
                if let html {
                    // html/template does not escape twice what a pipeline ending in urlquery/html escaped.
                    var last: String?
                    if case .identifier(let name, _)? = pipe.commands.last?.args.first { last = name }
                    output += html.value(value, pipelineEndsWith: last)
                } else {
                    output += GoFormat.printValue(value)
                }
            }
        case .if(let branch), .with(let branch):
            let isWith: Bool = if case .with = n { true } else { false }
            let mark = vars.count
            defer { vars.removeLast(vars.count - mark) }
            let value = try await evalPipeline(dot, branch.pipe)
            if value.isTrue {
                if isWith {
                    let saved = dotStaticType
                    dotStaticType = nil
                    defer { dotStaticType = saved }
                    return try await walk(branch.list, dot: value)
                }
                return try await walk(branch.list, dot: dot)
            } else if let elseList = branch.elseList {
                return try await walk(elseList, dot: dot)
            }
        case .range(let branch):
            return try await walkRange(branch, dot: dot)
        case .template(let name, let pipe, let pos):
            at(pos, "{{template \(goQuote(name))\(pipe.map { " \($0)" } ?? "")}}")
            guard let target = set.trees[name] else { throw error("template \(goQuote(name)) not defined") }
            if depth >= Self.maxTemplateDepth { throw error("exceeded maximum template depth (\(Self.maxTemplateDepth))") }
            let newDot: TemplateValue = if let pipe { try await evalPipeline(dot, pipe) } else { .nil }
            let inner = Executor(set: set, tree: target, dot: newDot, depth: depth + 1, html: html)
            _ = try await inner.walk(target.root, dot: newDot)
            output += inner.output
        case .break:
            return .break
        case .continue:
            return .continue
        }
        return .normal
    }

    private func walkRange(_ branch: Branch, dot: TemplateValue) async throws(TemplateError) -> Flow {
        let mark = vars.count
        defer { vars.removeLast(vars.count - mark) }
        let value = try await evalPipeline(dot, branch.pipe)
        // evalPipeline declared the variables with the whole value; each iteration overwrites them.
        let decls = branch.pipe.decls
        var elementStaticType: String?
        switch value {
        case .list(_, nil): elementStaticType = "interface {}"
        case .map(let m) where m.methods == nil && m.typeName == "map[string]interface {}": elementStaticType = "interface {}"
        default: break
        }
        // One iteration; returns false to stop (break).
        func iterate(_ index: TemplateValue, _ element: TemplateValue) async throws(TemplateError) -> Bool {
            if decls.count == 2 {
                try setVar(decls[0], index)
                try setVar(decls[1], element)
            } else if decls.count == 1 {
                try setVar(decls[0], element)
            }
            let inner = vars.count
            let saved = dotStaticType
            dotStaticType = elementStaticType
            let flow = try await walk(branch.list, dot: element)
            dotStaticType = saved
            vars.removeLast(vars.count - inner)
            return flow != .break
        }
        var isEmpty = true
        switch value {
        case .list(let list, _):
            isEmpty = list.isEmpty
            for (i, element) in list.enumerated() {
                if !(try await iterate(.int(i), element)) { break }
            }
        case .map(let map):
            isEmpty = map.isEmpty
            for key in map.sortedKeys {
                if !(try await iterate(.string(key), map.entries[key]!)) { break }
            }
        case .int(let n):
            if n < 0 { throw error("range can't iterate over \(n)") }
            isEmpty = n == 0
            var i = 0
            while i < n {
                if !(try await iterate(.int(i), .int(i))) { break }
                i += 1
            }
        case .nil:
            break
        default:
            // Go reports this at the last node the pipeline evaluated.
            throw error("range can't iterate over \(GoFormat.sprint([value]))")
        }
        if isEmpty, let elseList = branch.elseList { return try await walk(elseList, dot: dot) }
        return .normal
    }

    // MARK: variables

    private func setVar(_ name: String, _ value: TemplateValue) throws(TemplateError) {
        guard let i = vars.lastIndex(where: { $0.name == name }) else { throw error("undefined variable: \(name)") }
        vars[i].value = value
    }

    private func variable(_ name: String) throws(TemplateError) -> TemplateValue {
        guard let v = vars.last(where: { $0.name == name }) else { throw error("undefined variable: \(name)") }
        return v.value
    }

    // MARK: pipelines and commands

    func evalPipeline(_ dot: TemplateValue, _ pipe: Pipeline) async throws(TemplateError) -> TemplateValue {
        at(pipe.pos, pipe.description)
        var value: TemplateValue?
        for cmd in pipe.commands {
            value = try await evalCommand(dot, cmd, final: value)
        }
        let result = value ?? .nil
        for name in pipe.decls {
            if pipe.isAssign { try setVar(name, result) } else { vars.append((name, result)) }
        }
        return result
    }

    private func evalCommand(_ dot: TemplateValue, _ cmd: Command, final: TemplateValue?) async throws(TemplateError) -> TemplateValue {
        let first = cmd.args[0]
        switch first {
        case .field(let names, let pos):
            at(pos, first.description)
            return try await evalFieldChain(dot, receiver: dot, names: names, args: Array(cmd.args.dropFirst()), final: final,
                                            node: first, receiverType: dotStaticType)
        case .chain(let base, let names, _):
            // Go reports errors here at the last node evaluated inside the receiver.
            let receiver = try await evalArg(dot, base)
            return try await evalFieldChain(dot, receiver: receiver, names: names, args: Array(cmd.args.dropFirst()), final: final, node: first)
        case .variable(let name, let names, let pos):
            at(pos, first.description)
            let value = try variable(name)
            if names.isEmpty {
                try notAFunction(cmd, final)
                return value
            }
            return try await evalFieldChain(dot, receiver: value, names: names, args: Array(cmd.args.dropFirst()), final: final, node: first)
        case .identifier(let name, let pos):
            at(pos, name)
            return try await evalFunction(dot, name: name, cmd: cmd, args: Array(cmd.args.dropFirst()), final: final)
        case .pipe(let pipe):
            try notAFunction(cmd, final)
            let mark = vars.count
            defer { vars.removeLast(vars.count - mark) }
            return try await evalPipeline(dot, pipe)
        default:
            at(first.pos, first.description)
            try notAFunction(cmd, final)
            if case .nil = first { throw error("nil is not a command") }
            return try await evalArg(dot, first)
        }
    }

    private func notAFunction(_ cmd: Command, _ final: TemplateValue?) throws(TemplateError) {
        if cmd.args.count > 1 || final != nil {
            throw error("can't give argument to non-function \(cmd.args[0])")
        }
    }

    private func evalFieldChain(_ dot: TemplateValue, receiver: TemplateValue, names: [String], args: [Argument],
                                final: TemplateValue?, node: Argument, receiverType: String? = nil) async throws(TemplateError) -> TemplateValue {
        var value = receiver
        var staticType: String? = receiverType
        for (i, name) in names.enumerated() {
            let last = i == names.count - 1
            let next = try await evalField(dot, name, receiver: value, staticType: staticType, args: last ? args : [],
                                           final: last ? final : nil, node: node)
            // Go names a value by its static type: an element of map[string]interface{} is an interface {}.
            if case .map(let m) = value, m.methods == nil, m.typeName == "map[string]interface {}" {
                staticType = "interface {}"
            } else {
                staticType = nil
            }
            value = next
        }
        return value
    }

    private func evalField(_ dot: TemplateValue, _ name: String, receiver: TemplateValue, staticType: String? = nil, args: [Argument],
                           final: TemplateValue?, node: Argument) async throws(TemplateError) -> TemplateValue {
        if case .nil = receiver {
            if set.options.missingKey == .error { throw error("nil data; no entry for key \(goQuote(name))") }
            return .nil
        }
        let hasArgs = !args.isEmpty || final != nil
        func evaluatedArgs() async throws(TemplateError) -> [TemplateValue] {
            var values: [TemplateValue] = []
            for a in args { values.append(try await evalArg(dot, a)) }
            if let final { values.append(final) }
            return values
        }
        let methods: (any TemplateMethods)? = switch receiver {
        case .list(_, let m): m
        case .map(let map): map.methods
        case .time: TimeMethods()
        case .duration: DurationMethods()
        default: nil
        }
        if let methods {
            let values = try await evaluatedArgs()
            do {
                if let result = try methods.call(name, on: receiver, values) { return result }
            } catch {
                at(node.pos, node.description)
                throw self.error("error calling \(name): \(error.message)")
            }
        }
        if case .object(let object) = receiver {
            let values = try await evaluatedArgs()
            do {
                if let result = try object.member(name, values) { return result }
            } catch {
                at(node.pos, node.description)
                throw self.error("error calling \(name): \(error.message)")
            }
        }
        if case .map(let map) = receiver {
            if let v = map.entries[name] {
                if hasArgs { throw error("\(name) is not a method but has arguments") }
                return v
            }
            if map.isStruct { throw error("can't evaluate field \(name) in type \(map.typeName)") }
            if hasArgs { throw error("\(name) is not a method but has arguments") }
            switch set.options.missingKey {
            case .invalid: return .nil
            case .zero: return map.zero
            case .error: throw error("map has no entry for key \(goQuote(name))")
            }
        }
        throw error("can't evaluate field \(name) in type \(staticType ?? receiver.typeName)")
    }

    private func evalFunction(_ dot: TemplateValue, name: String, cmd: Command?, args: [Argument],
                              final: TemplateValue?) async throws(TemplateError) -> TemplateValue {
        guard let function = set.functions[name] else { throw error("\(goQuote(name)) is not a defined function") }
        let argc = args.count + (final == nil ? 0 : 1)
        if argc < function.arity || (!function.variadic && argc != function.arity) {
            let want = function.variadic ? "at least \(function.arity)" : "\(function.arity)"
            throw error("wrong number of args for \(name): want \(want) got \(argc)")
        }
        let context = cmd.map { ($0.pos, $0.description) }
        // and/or evaluate their arguments lazily, left to right.
        if name == "and" || name == "or" {
            var value: TemplateValue = .nil
            var remaining = args.makeIterator()
            var i = 0
            while i < argc {
                if let a = remaining.next() { value = try await evalArg(dot, a) } else { value = final! }
                i += 1
                if (name == "and") != value.isTrue { return value }
            }
            return value
        }
        var values: [TemplateValue] = []
        for (i, a) in args.enumerated() {
            if function.takesString(at: i) {
                switch a {
                case .number, .bool, .nil:
                    at(a.pos, a.description)
                    throw error("expected string; found \(a)")
                default: break
                }
            }
            let value = try await evalArg(dot, a)
            if function.takesString(at: i) { try checkString(value) }
            values.append(value)
        }
        if let final {
            if function.takesString(at: values.count) { try checkString(final) }
            values.append(final)
        }
        let set = self.set
        let depth = self.depth
        let callContext = CallContext { name, data in
            try await set.execute(name, data: data, depth: depth + 1)
        }
        do {
            return try await function.body(values, callContext)
        } catch let e as TemplateError where e.kind == .argument {
            if let problem = e.argument, problem.index < args.count {
                let node = args[problem.index]
                // A parenthesised argument keeps the position of what it evaluated last, as in Go.
                if case .pipe = node {} else { at(node.pos, node.description) }
                switch node {
                case .string, .number, .bool, .nil:
                    throw error("expected \(problem.expected); found \(node)")
                default: break
                }
                if problem.index < values.count, case .nil = values[problem.index] {
                    throw error("invalid value; expected \(problem.expected)")
                }
            }
            throw error(e.message)
        } catch {
            if let context { at(context.0, context.1) }
            throw wrapCallError(error, name)
        }
    }

    private func checkString(_ value: TemplateValue) throws(TemplateError) {
        switch value {
        case .string: return
        case .nil: throw error("invalid value; expected string")
        default: throw error("wrong type for value; expected string; got \(value.typeName)")
        }
    }

    private func wrapCallError(_ error: any Error, _ name: String) -> TemplateError {
        do {
            throw error
        } catch let e as TemplateError where e.kind == .argument {
            return self.error(e.message)
        } catch let e as TemplateError {
            return self.error("error calling \(name): \(e.message)")
        } catch {
            return self.error("error calling \(name): \(error)")
        }
    }

    // MARK: arguments

    func evalArg(_ dot: TemplateValue, _ arg: Argument) async throws(TemplateError) -> TemplateValue {
        at(arg.pos, arg.description)
        switch arg {
        case .dot: return dot
        case .nil: return .nil
        case .bool(let b, _): return .bool(b)
        case .string(let s, _, _): return .string(s)
        case .number(let n, _, _):
            switch n {
            case .int(let i), .char(let i): return .int(i)
            case .float(let f): return .float(f)
            }
        case .field(let names, _):
            return try await evalFieldChain(dot, receiver: dot, names: names, args: [], final: nil, node: arg,
                                            receiverType: dotStaticType)
        case .variable(let name, let names, _):
            let value = try variable(name)
            return names.isEmpty ? value : try await evalFieldChain(dot, receiver: value, names: names, args: [], final: nil, node: arg)
        case .identifier(let name, _):
            return try await evalFunction(dot, name: name, cmd: nil, args: [], final: nil)
        case .pipe(let pipe):
            let mark = vars.count
            defer { vars.removeLast(vars.count - mark) }
            return try await evalPipeline(dot, pipe)
        case .chain(let base, let names, _):
            let receiver = try await evalArg(dot, base)
            return try await evalFieldChain(dot, receiver: receiver, names: names, args: [], final: nil, node: arg)
        }
    }
}
