/// Parses Go `regexp/syntax` with the `Perl` flags (OneLine, ClassNL, PerlX, UnicodeGroups)
/// into a `RegexNode`, failing with Go's errors in the order Go finds them (left to right).
struct RegexParser {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let foldCase = Flags(rawValue: 1)
        static let dotNL = Flags(rawValue: 2)
        static let oneLine = Flags(rawValue: 4)
        static let nonGreedy = Flags(rawValue: 8)
    }

    /// The parsed tree and the capture names by group index (index 0, the whole match, is nil).
    struct Result {
        var node: RegexNode
        var groupNames: [String?]
    }

    static let maxRepeat = 1000
    static let maxDepth = 1000

    let src: [UInt32]
    let whole: String
    var pos = 0
    var groupNames: [String?] = [nil]
    var depth = 0

    static func parse(_ pattern: String, dotMatchesNewline: Bool) throws(RE2Error) -> Result {
        var parser = RegexParser(src: pattern.unicodeScalars.map(\.value), whole: pattern)
        var flags: Flags = dotMatchesNewline ? [.oneLine, .dotNL] : [.oneLine]
        let node = try parser.parseAlternation(&flags)
        if parser.pos < parser.src.count {   // stopped at a ")" with no group open
            throw RE2Error(.unexpectedParen, pattern)
        }
        return Result(node: node, groupNames: parser.groupNames)
    }

    func peek(_ offset: Int = 0) -> UInt32? {
        pos + offset < src.count ? src[pos + offset] : nil
    }

    func text(_ from: Int, _ to: Int) -> String {
        var out = String.UnicodeScalarView()
        for value in src[from..<min(to, src.count)] {
            out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(out)
    }

    mutating func parseAlternation(_ flags: inout Flags) throws(RE2Error) -> RegexNode {
        var branches: [RegexNode] = []
        while true {
            branches.append(try parseConcat(&flags))
            if peek() == Self.bar {
                pos += 1
                continue
            }
            break
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    /// Items up to `|`, `)` or the end.
    mutating func parseConcat(_ flags: inout Flags) throws(RE2Error) -> RegexNode {
        var items: [RegexNode] = []
        var lastRepeatStart: Int?
        while let c = peek(), c != Self.bar, c != Self.rightParen {
            var repeatStart: Int?
            switch c {
            case Self.leftParen:
                if let node = try parseGroup(&flags) { items.append(node) }
            case 0x5E:   // ^
                items.append(flags.contains(.oneLine) ? .beginText : .beginLine)
                pos += 1
            case 0x24:   // $
                items.append(flags.contains(.oneLine) ? .endText : .endLine)
                pos += 1
            case 0x2E:   // .
                items.append(flags.contains(.dotNL) ? .anyChar : .anyCharNotNL)
                pos += 1
            case 0x5B:   // [
                items.append(try parseClass(flags))
            case 0x2A, 0x2B, 0x3F:   // * + ?
                let start = pos
                pos += 1
                let (min, max) = c == 0x2A ? (0, -1) : c == 0x2B ? (1, -1) : (0, 1)
                try applyRepeat(&items, min: min, max: max, counted: false, start: start, lastRepeatStart: lastRepeatStart, flags: flags)
                repeatStart = start
            case 0x7B:   // {
                let start = pos
                if let (min, max) = parseRepeatCount() {
                    if min < 0 || min > Self.maxRepeat || max > Self.maxRepeat || (max >= 0 && min > max) {
                        throw RE2Error(.invalidRepeatSize, text(start, pos))
                    }
                    try applyRepeat(&items, min: min, max: max, counted: true, start: start, lastRepeatStart: lastRepeatStart, flags: flags)
                    repeatStart = start
                } else {
                    items.append(literal(c, flags))
                    pos += 1
                }
            case Self.backslash:
                try parseBackslash(&items, flags)
            default:
                items.append(literal(c, flags))
                pos += 1
            }
            lastRepeatStart = repeatStart
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// After `*`, `+`, `?` or `{n,m}` (consumed): the lazy `?`, nesting and argument checks.
    private mutating func applyRepeat(_ items: inout [RegexNode], min: Int, max: Int, counted: Bool, start: Int,
                                      lastRepeatStart: Int?, flags: Flags) throws(RE2Error) {
        var nonGreedy = flags.contains(.nonGreedy)
        if peek() == 0x3F {
            pos += 1
            nonGreedy.toggle()
        }
        if let lastRepeatStart { throw RE2Error(.invalidRepeatOp, text(lastRepeatStart, pos)) }
        guard let sub = items.popLast() else { throw RE2Error(.missingRepeatArgument, text(start, pos)) }
        let node = RegexNode.repeat(sub, min: min, max: max, greedy: !nonGreedy)
        if counted, min >= 2 || max >= 2, !node.repeatIsValid(Self.maxRepeat) {
            throw RE2Error(.invalidRepeatSize, text(start, pos))
        }
        items.append(node)
    }

    /// `{n}`, `{n,}` or `{n,m}` at `pos`; nil (nothing consumed) when it is not one, so `{` is literal.
    /// A number of 1e8 or more comes back as -1.
    private mutating func parseRepeatCount() -> (Int, Int)? {
        var at = pos + 1
        func number() -> Int? {
            guard at < src.count, src[at] >= 0x30, src[at] <= 0x39 else { return nil }
            if at + 1 < src.count, src[at] == 0x30, src[at + 1] >= 0x30, src[at + 1] <= 0x39 { return nil }
            var n = 0
            while at < src.count, src[at] >= 0x30, src[at] <= 0x39 {
                if n >= 100_000_000 { n = -1 } else if n >= 0 { n = n * 10 + Int(src[at] - 0x30) }
                at += 1
            }
            return n
        }
        guard var min = number(), at < src.count else { return nil }
        var max = min
        if src[at] == 0x2C {
            at += 1
            guard at < src.count else { return nil }
            if src[at] == 0x7D {
                max = -1
            } else {
                guard let value = number() else { return nil }
                max = value
                if value < 0 { min = -1 }
            }
        }
        guard at < src.count, src[at] == 0x7D else { return nil }
        pos = at + 1
        return (min, max)
    }

    func literal(_ c: UInt32, _ flags: Flags) -> RegexNode {
        .literal(c, fold: flags.contains(.foldCase) && RegexCaseFolding.orbit(c) != nil)
    }

    /// `(`: a group (returned), or a flag change `(?i)` (nil).
    private mutating func parseGroup(_ flags: inout Flags) throws(RE2Error) -> RegexNode? {
        var inner = flags
        var capture: (index: Int, name: String?)?
        if peek(1) == 0x3F {
            switch try parsePerlFlags(&inner) {
            case .flagsOnly:
                flags = inner
                return nil
            case .group: capture = nil
            case .named(let name):
                groupNames.append(name)
                capture = (groupNames.count - 1, name)
            }
        } else {
            pos += 1
            groupNames.append(nil)
            capture = (groupNames.count - 1, nil)
        }
        depth += 1
        if depth > Self.maxDepth { throw RE2Error(.nestingDepth, whole) }
        let body = try parseAlternation(&inner)
        depth -= 1
        guard peek() == Self.rightParen else { throw RE2Error(.missingParen, whole) }
        pos += 1
        if let capture { return .capture(index: capture.index, name: capture.name, body) }
        return body
    }

    private enum PerlGroup { case flagsOnly, group, named(String) }

    /// After `(?`: named captures and flag groups, Go's `parsePerlFlags`.
    private mutating func parsePerlFlags(_ flags: inout Flags) throws(RE2Error) -> PerlGroup {
        let start = pos
        let rest = src.count - pos
        let startsWithP = rest > 4 && src[pos + 2] == 0x50 && src[pos + 3] == 0x3C   // (?P<
        let startsWithName = rest > 3 && src[pos + 2] == 0x3C                        // (?<
        if startsWithP || startsWithName {
            let nameStart = pos + (startsWithP ? 4 : 3)
            guard let end = src[pos...].firstIndex(of: 0x3E) else {   // >
                throw RE2Error(.invalidNamedCapture, text(start, src.count))
            }
            let name = text(nameStart, end)
            guard Self.isValidCaptureName(name) else {
                throw RE2Error(.invalidNamedCapture, text(start, end + 1))
            }
            pos = end + 1
            return .named(name)
        }
        pos += 2
        var new = flags
        var negated = false
        var sawFlag = false
        while let c = peek() {
            pos += 1
            var flag: Flags?
            switch c {
            case 0x69: flag = .foldCase    // i
            case 0x6D: flag = .oneLine     // m (clears OneLine)
            case 0x73: flag = .dotNL       // s
            case 0x55: flag = .nonGreedy   // U
            case 0x2D:                     // -
                if negated { throw RE2Error(.invalidPerlOp, text(start, pos)) }
                negated = true
                sawFlag = false
                continue
            case 0x3A, Self.rightParen:    // : )
                if negated && !sawFlag { throw RE2Error(.invalidPerlOp, text(start, pos)) }
                flags = new
                if c == 0x3A { return .group }
                return .flagsOnly
            default:
                throw RE2Error(.invalidPerlOp, text(start, pos))
            }
            if let flag {
                sawFlag = true
                // `m` turns OneLine off; `-m` turns it back on.
                if (flag == .oneLine) != negated { new.remove(flag) } else { new.insert(flag) }
            }
        }
        throw RE2Error(.invalidPerlOp, text(start, pos))
    }

    /// Go's `isValidCaptureName`: `[A-Za-z0-9_]+`.
    static func isValidCaptureName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
    }

    static let bar: UInt32 = 0x7C
    static let leftParen: UInt32 = 0x28
    static let rightParen: UInt32 = 0x29
    static let backslash: UInt32 = 0x5C
}
