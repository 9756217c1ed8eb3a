import Foundation
import PharosCore

/// Go's text/template parser: tokens → trees, one per `define`/`block` plus the top level.
///
/// Checks at parse time what Go checks: functions must be known (`function "x" not defined`),
/// variables declared (`undefined variable "$x"`), `break`/`continue` inside `range`.
/// Nesting deeper than `maxDepth` is refused rather than recursing without bound.
struct Parser {
    static let maxDepth = 100

    private let name: String
    private let text: String
    private let tokens: [Token]
    private let isFunction: (String) -> Bool
    private var index = 0
    private var vars: [String] = ["$"]
    private var rangeDepth = 0
    private var depth = 0
    private(set) var definitions: [Tree] = []

    init(name: String, text: String, isFunction: @escaping (String) -> Bool) throws(TemplateError) {
        self.name = name
        self.text = text
        self.tokens = Lexer.tokenize(name: name, text: text)
        self.isFunction = isFunction
    }

    /// Parses the whole text; returns the top-level tree (definitions go to `definitions`).
    mutating func parse() throws(TemplateError) -> Tree {
        var root: [Node] = []
        while true {
            let token = peek()
            if token.kind == .eof { break }
            if token.kind == .leftDelim {
                let save = index
                _ = try next()
                if try peekNonSpace().kind == .keyword(.define) {
                    _ = try nextNonSpace()
                    try parseDefinition()
                    continue
                }
                index = save
            }
            let node = try textOrAction()
            switch node {
            case .end: throw error("unexpected {{end}}")
            case .else: throw error("unexpected {{else}}")
            case .node(let n): root.append(n)
            }
        }
        return Tree(name: name, parseName: name, root: root, text: text)
    }

    // MARK: tokens

    private var current: Token { tokens[max(0, min(index, tokens.count - 1))] }

    private func peek() -> Token { tokens[min(index, tokens.count - 1)] }

    private mutating func next() throws(TemplateError) -> Token {
        let t = tokens[min(index, tokens.count - 1)]
        if index < tokens.count { index += 1 }
        if t.kind == .error { throw TemplateError(.parse, "template: \(name):\(t.line): \(t.text)") }
        return t
    }

    private mutating func backup() { index -= 1 }

    private mutating func nextNonSpace() throws(TemplateError) -> Token {
        var t = try next()
        while t.kind == .space { t = try next() }
        return t
    }

    private mutating func peekNonSpace() throws(TemplateError) -> Token {
        let t = try nextNonSpace()
        backup()
        return t
    }

    private func error(_ message: String, at token: Token? = nil) -> TemplateError {
        let line = (token ?? tokens[max(0, min(index, tokens.count) - 1)]).line
        return TemplateError(.parse, "template: \(name):\(line): \(message)")
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(TemplateError) -> Token {
        let t = try nextNonSpace()
        if t.kind != kind { throw unexpected(t, context) }
        return t
    }

    private func unexpected(_ token: Token, _ context: String) -> TemplateError {
        if token.kind == .eof { return error("unexpected EOF", at: token) }
        return error("unexpected \(token) in \(context)", at: token)
    }

    // MARK: structure

    private enum ListItem {
        case node(Node)
        case end(Token)
        case `else`(Token)
    }

    private mutating func parseDefinition() throws(TemplateError) {
        let nameToken = try nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else {
            throw unexpected(nameToken, "define clause")
        }
        let defName = try unquote(nameToken)
        _ = try expect(.rightDelim, "define clause")
        let savedVars = vars
        vars = ["$"]
        let (list, terminator) = try itemList()
        vars = savedVars
        if case .else = terminator { throw error("unexpected {{else}}") }
        try addDefinition(Tree(name: defName, parseName: name, root: list, text: text))
    }

    /// Go's `Tree.add`: within one parse, a second non-empty definition of a name is an error.
    private mutating func addDefinition(_ tree: Tree) throws(TemplateError) {
        if let i = definitions.firstIndex(where: { $0.name == tree.name }) {
            if definitions[i].isEmpty {
                definitions[i] = tree
            } else if !tree.isEmpty {
                throw error("template: multiple definition of template \(goQuote(tree.name))")
            }
            return
        }
        definitions.append(tree)
    }

    /// Nodes up to `{{end}}` or `{{else}}`; EOF is an error.
    private mutating func itemList() throws(TemplateError) -> ([Node], ListItem) {
        var list: [Node] = []
        while true {
            if try peekNonSpace().kind == .eof { throw error("unexpected EOF", at: peek()) }
            let item = try textOrAction()
            switch item {
            case .node(let n): list.append(n)
            case .end, .else: return (list, item)
            }
        }
    }

    private mutating func textOrAction() throws(TemplateError) -> ListItem {
        let t = try next()
        switch t.kind {
        case .text: return .node(.text(t.text))
        case .leftDelim:
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("max nesting depth \(Self.maxDepth) exceeded") }
            return try action()
        case .eof: throw error("unexpected EOF", at: t)
        default: throw unexpected(t, "input")
        }
    }

    private mutating func action() throws(TemplateError) -> ListItem {
        let t = try nextNonSpace()
        switch t.kind {
        case .keyword(.block): return .node(try blockControl())
        case .keyword(.break): return .node(try loopControl(t, isBreak: true))
        case .keyword(.continue): return .node(try loopControl(t, isBreak: false))
        case .keyword(.else): return try elseControl(t)
        case .keyword(.end):
            _ = try expect(.rightDelim, "end")
            return .end(t)
        case .keyword(.if): return .node(.if(try parseControl(context: "if", allowElseChain: true)))
        case .keyword(.range):
            rangeDepth += 1
            defer { rangeDepth -= 1 }
            return .node(.range(try parseControl(context: "range", allowElseChain: false)))
        case .keyword(.template): return .node(try templateControl())
        case .keyword(.with): return .node(.with(try parseControl(context: "with", allowElseChain: true)))
        case .keyword(.define): throw unexpected(t, "command")
        default: break
        }
        backup()
        let pipe = try pipeline(context: "command", end: .rightDelim)
        return .node(.action(pipe, pos: t.pos))
    }

    private mutating func loopControl(_ t: Token, isBreak: Bool) throws(TemplateError) -> Node {
        let word = isBreak ? "break" : "continue"
        let n = try nextNonSpace()
        if n.kind != .rightDelim { throw unexpected(n, "{{\(word)}}") }
        if rangeDepth == 0 { throw error("{{\(word)}} outside {{range}}") }
        return isBreak ? .break(pos: t.pos) : .continue(pos: t.pos)
    }

    /// What follows `{{else`: a plain else, or `else if`/`else with` (kept pending).
    private var elseChain: Token.Keyword?

    private mutating func elseControl(_ t: Token) throws(TemplateError) -> ListItem {
        let p = try peekNonSpace()
        if p.kind == .keyword(.if) || p.kind == .keyword(.with) {
            // The caller handles the chain; leave the keyword for it.
            return .else(p)
        }
        _ = try expect(.rightDelim, "else")
        return .else(t)
    }

    private mutating func parseControl(context: String, allowElseChain: Bool) throws(TemplateError) -> Branch {
        let savedVars = vars.count
        defer { vars.removeLast(vars.count - savedVars) }
        let pipe = try pipeline(context: context, end: .rightDelim)
        if pipe.commands.isEmpty { throw error("missing value for \(context)") }
        var (list, terminator) = try itemList()
        var elseList: [Node]?
        if case .else(let elseToken) = terminator {
            if elseToken.kind == .keyword(.if) || elseToken.kind == .keyword(.with) {
                let keyword = elseToken.text
                guard allowElseChain, keyword == context else {
                    throw unexpected(elseToken, context == "range" ? "range" : context)
                }
                _ = try nextNonSpace()  // the if/with keyword
                // {{if a}}…{{else if b}}…{{end}} is {{if a}}…{{else}}{{if b}}…{{end}}{{end}}.
                let inner = try parseControl(context: context, allowElseChain: true)
                elseList = [keyword == "if" ? .if(inner) : .with(inner)]
                return Branch(pipe: pipe, list: list, elseList: elseList, pos: pipe.pos)
            }
            if context == "range" { rangeDepth -= 1 }
            let (elseNodes, endTerminator) = try itemList()
            if context == "range" { rangeDepth += 1 }
            if case .else(let t) = endTerminator { throw error("expected end; found {{else}}", at: t) }
            elseList = elseNodes
            terminator = endTerminator
        }
        _ = terminator
        list = list.isEmpty ? [] : list
        return Branch(pipe: pipe, list: list, elseList: elseList, pos: pipe.pos)
    }

    private mutating func blockControl() throws(TemplateError) -> Node {
        let context = "block clause"
        let nameToken = try nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        let blockName = try unquote(nameToken)
        let pipe = try pipeline(context: context, end: .rightDelim)
        let savedVars = vars
        vars = ["$"]
        let (list, terminator) = try itemList()
        vars = savedVars
        if case .else = terminator { throw error("unexpected {{else}}") }
        try addDefinition(Tree(name: blockName, parseName: name, root: list, text: text))
        return .template(name: blockName, pipe: pipe, pos: nameToken.pos)
    }

    private mutating func templateControl() throws(TemplateError) -> Node {
        let context = "template clause"
        let nameToken = try nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        let templateName = try unquote(nameToken)
        var pipe: Pipeline?
        if try nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context: context, end: .rightDelim)
        }
        return .template(name: templateName, pipe: pipe, pos: nameToken.pos)
    }

    // MARK: pipelines

    private mutating func pipeline(context: String, end: Token.Kind) throws(TemplateError) -> Pipeline {
        var pipe = Pipeline(pos: try peekNonSpace().pos)
        // Declarations: $x := / $x = / $i, $e :=
        let save = index
        decls: if try peekNonSpace().kind == .variable {
            let v = try nextNonSpace()
            let afterSpace = try peekNonSpace()
            switch afterSpace.kind {
            case .assign, .declare:
                _ = try nextNonSpace()
                pipe.isAssign = afterSpace.kind == .assign
                pipe.decls.append(v.text)
                // As Go: an assignment to an undeclared variable fails when executed.
                vars.append(v.text)
            case .comma:
                _ = try nextNonSpace()
                guard context == "range", pipe.decls.count < 2 else { throw error("too many declarations in \(context)") }
                pipe.decls.append(v.text)
                let v2 = try nextNonSpace()
                guard v2.kind == .variable else { throw error("missing variable in range declaration") }
                let op = try nextNonSpace()
                if op.kind == .comma { throw error("too many declarations in \(context)") }
                guard op.kind == .declare || op.kind == .assign else { throw unexpected(op, context) }
                pipe.isAssign = op.kind == .assign
                pipe.decls.append(v2.text)
                vars.append(v.text)
                vars.append(v2.text)
            default:
                index = save
                break decls
            }
        }
        while true {
            let t = try nextNonSpace()
            if t.kind == end {
                try checkPipeline(pipe, context: context)
                return pipe
            }
            switch t.kind {
            case .bool, .charConstant, .dot, .field, .identifier, .number, .nil, .rawString, .string,
                 .variable, .leftParen:
                backup()
                pipe.commands.append(try command(end: end))
            default:
                throw unexpected(t, context)
            }
        }
    }

    private func checkPipeline(_ pipe: Pipeline, context: String) throws(TemplateError) {
        if pipe.commands.isEmpty { throw error("missing value for \(context)") }
        for (i, cmd) in pipe.commands.enumerated().dropFirst() {
            switch cmd.args.first {
            case .bool, .dot, .nil, .number, .string:
                throw error("non executable command in pipeline stage \(i + 1)")
            default: break
            }
        }
    }

    private mutating func command(end: Token.Kind) throws(TemplateError) -> Command {
        var cmd = Command(pos: try peekNonSpace().pos)
        while true {
            _ = try peekNonSpace()
            if let operand = try operand() { cmd.args.append(operand) }
            let t = try next()
            switch t.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(t, "operand")
            }
            break
        }
        if cmd.args.isEmpty { throw error("empty command") }
        return cmd
    }

    private mutating func operand() throws(TemplateError) -> Argument? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        var fields: [String] = []
        // Go positions a chain at its first chained field.
        let chainPos = peek().pos
        while peek().kind == .field { fields.append(String(try next().text.dropFirst())) }
        switch node {
        case .field(let names, _): return .field(names + fields, pos: chainPos)
        case .variable(let name, let f, _): return .variable(name, fields: f + fields, pos: chainPos)
        case .bool, .string, .number, .nil, .dot:
            throw error("unexpected . after term \(goQuote(node.description))")
        default: return .chain(node, fields: fields, pos: chainPos)
        }
    }

    private mutating func term() throws(TemplateError) -> Argument? {
        let t = try nextNonSpace()
        switch t.kind {
        case .identifier:
            guard isFunction(t.text) else { throw error("function \(goQuote(t.text)) not defined", at: t) }
            return .identifier(t.text, pos: t.pos)
        case .dot: return .dot(pos: t.pos)
        case .nil: return .nil(pos: t.pos)
        case .variable:
            try useVar(t)
            return .variable(t.text, fields: [], pos: t.pos)
        case .field: return .field([String(t.text.dropFirst())], pos: t.pos)
        case .bool: return .bool(t.text == "true", pos: t.pos)
        case .charConstant, .number: return .number(try number(t), text: t.text, pos: t.pos)
        case .leftParen:
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("max nesting depth \(Self.maxDepth) exceeded") }
            return .pipe(try pipeline(context: "parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            return .string(try unquote(t), quoted: t.text, pos: t.pos)
        default:
            backup()
            return nil
        }
    }

    private func useVar(_ t: Token) throws(TemplateError) {
        if !vars.contains(t.text) { throw error("undefined variable \(goQuote(t.text))", at: t) }
    }

    // MARK: literals

    private func unquote(_ t: Token) throws(TemplateError) -> String {
        if t.kind == .rawString { return String(t.text.dropFirst().dropLast()) }
        guard let s = GoLiteral.unquote(t.text) else { throw error("invalid syntax", at: t) }
        return s
    }

    private func number(_ t: Token) throws(TemplateError) -> NumberConstant {
        if t.kind == .charConstant {
            guard let s = GoLiteral.unquote(t.text, quote: "'"), let scalar = s.unicodeScalars.first,
                  s.unicodeScalars.count == 1
            else { throw error("malformed character constant: \(t.text)", at: t) }
            return .char(Int(scalar.value))
        }
        guard let n = GoLiteral.number(t.text) else { throw error("illegal number syntax: \(goQuote(t.text))", at: t) }
        return n
    }
}
