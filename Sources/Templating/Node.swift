/// The parse tree of a template, after Go's `text/template/parse`. `pos` is a byte offset
/// into the parsed text; `String` forms match Go's `Node.String()` (used in error contexts).
indirect enum Node: Sendable {
    case text(String)
    case action(Pipeline, pos: Int)
    case `if`(Branch)
    case range(Branch)
    case with(Branch)
    case template(name: String, pipe: Pipeline?, pos: Int)
    case `break`(pos: Int)
    case `continue`(pos: Int)
}

struct Branch: Sendable {
    var pipe: Pipeline
    var list: [Node]
    var elseList: [Node]?
    var pos: Int
}

struct Pipeline: Sendable, CustomStringConvertible {
    var pos: Int
    var isAssign = false
    var decls: [String] = []
    var commands: [Command] = []

    var description: String {
        var s = ""
        if !decls.isEmpty {
            s = decls.joined(separator: ", ") + (isAssign ? " = " : " := ")
        }
        return s + commands.map(\.description).joined(separator: " | ")
    }
}

struct Command: Sendable, CustomStringConvertible {
    var pos: Int
    var args: [Argument] = []
    var description: String {
        args.map { arg in
            if case .pipe(let p) = arg { return "(\(p))" }
            return arg.description
        }.joined(separator: " ")
    }
}

/// A numeric constant as Go's parser classifies it.
enum NumberConstant: Sendable {
    case int(Int)
    case float(Double)
    /// A rune constant ('a'), an int in interface contexts.
    case char(Int)
}

indirect enum Argument: Sendable, CustomStringConvertible {
    /// `.a.b` — the field names.
    case field([String], pos: Int)
    /// `$x.a.b` — `name` includes the `$`.
    case variable(String, fields: [String], pos: Int)
    case dot(pos: Int)
    case `nil`(pos: Int)
    case bool(Bool, pos: Int)
    case number(NumberConstant, text: String, pos: Int)
    case string(String, quoted: String, pos: Int)
    case identifier(String, pos: Int)
    case pipe(Pipeline)
    /// `(pipeline).a.b`
    case chain(Argument, fields: [String], pos: Int)

    var pos: Int {
        switch self {
        case .field(_, let p), .variable(_, _, let p), .dot(let p), .nil(let p), .bool(_, let p),
             .number(_, _, let p), .string(_, _, let p), .identifier(_, let p), .chain(_, _, let p):
            p
        case .pipe(let pipe): pipe.pos
        }
    }

    var description: String {
        switch self {
        case .field(let names, _): return names.map { "." + $0 }.joined()
        case .variable(let name, let fields, _): return ([name] + fields).joined(separator: ".")
        case .dot: return "."
        case .nil: return "nil"
        case .bool(let b, _): return b ? "true" : "false"
        case .number(_, let text, _): return text
        case .string(_, let quoted, _): return quoted
        case .identifier(let name, _): return name
        case .pipe(let p): return "(\(p))"
        case .chain(let node, let fields, _):
            let base: String = if case .pipe(let p) = node { "(\(p))" } else { node.description }
            return base + fields.map { "." + $0 }.joined()
        }
    }
}

/// One parsed template: its name, the tree, and the text it came from (for error positions).
struct Tree: Sendable {
    var name: String
    /// The name of the top-level template whose text holds this one (Go's `ParseName`).
    var parseName: String
    var root: [Node]
    var text: String

    /// Go's `ErrorContext`: `NAME:LINE:COL` of a byte offset (column is 0-based as in Go).
    func location(of pos: Int) -> String {
        let bytes = text.utf8
        let prefix = bytes.prefix(pos)
        var line = 1
        var lastNewline = -1
        for (i, b) in prefix.enumerated() where b == 0x0A {
            line += 1
            lastNewline = i
        }
        return "\(parseName):\(line):\(pos - lastNewline - 1)"
    }

    var isEmpty: Bool {
        root.allSatisfy { node in
            if case .text(let t) = node { return t.allSatisfy(\.isWhitespace) }
            return false
        }
    }
}
