/// A replacement template with Go `regexp.Expand` semantics, parsed once.
///
/// `$1`, `${1}`, `$name`, `${name}` insert a capture group (empty when the group does not
/// exist or did not participate); `$$` is a literal `$`; a `$` not followed by a valid
/// reference stays literal. As in Go, `$1x` names the group `1x` (which usually does not
/// exist): write `${1}x`.
package struct ExpandTemplate: Sendable, Hashable, CustomStringConvertible {
    private enum Piece: Sendable, Hashable {
        case literal(String)
        case number(Int)
        case name(String)
    }

    private let pieces: [Piece]
    /// The template as written.
    package let text: String

    package init(_ text: String) {
        self.text = text
        var pieces: [Piece] = []
        var literal = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$" else {
                literal.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            if index + 1 < scalars.count, scalars[index + 1] == "$" {
                literal += "$"
                index += 2
                continue
            }
            guard let (reference, next) = ExpandTemplate.reference(scalars, from: index + 1) else {
                literal += "$"
                index += 1
                continue
            }
            if !literal.isEmpty {
                pieces.append(.literal(literal))
                literal = ""
            }
            pieces.append(reference)
            index = next
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// True when the template refers to no group (expansion is the text itself).
    package var isLiteral: Bool { pieces.allSatisfy { if case .literal = $0 { true } else { false } } }

    /// Expands against the captures of one match; `names` are the regex's group names by index.
    package func expand(_ captures: [Substring?], names: [String?]) -> String {
        if pieces.count == 1, case .literal(let value) = pieces[0] { return value }
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let value): out += value
            case .number(let number):
                if number < captures.count, let capture = captures[number] { out += capture }
            case .name(let name):
                if let index = names.firstIndex(where: { $0 == name }), index < captures.count,
                   let capture = captures[index] {
                    out += capture
                }
            }
        }
        return out
    }

    package var description: String { text }

    /// Parses `name`, `{name}` after a `$`; nil when malformed.
    private static func reference(_ scalars: [Unicode.Scalar], from start: Int) -> (Piece, Int)? {
        var index = start
        let braced = index < scalars.count && scalars[index] == "{"
        if braced { index += 1 }
        let nameStart = index
        while index < scalars.count, isNameScalar(scalars[index]) { index += 1 }
        guard index > nameStart else { return nil }
        var name = ""
        name.unicodeScalars.append(contentsOf: scalars[nameStart..<index])
        if braced {
            guard index < scalars.count, scalars[index] == "}" else { return nil }
            index += 1
        }
        // A number only when all ASCII digits, below 1e8, and without a leading zero.
        var number = 0
        for scalar in name.unicodeScalars {
            guard scalar.value >= 48, scalar.value <= 57, number < 100_000_000 else {
                number = -1
                break
            }
            number = number * 10 + Int(scalar.value - 48)
        }
        if name.unicodeScalars.count > 1, name.unicodeScalars.first == "0" { number = -1 }
        return (number >= 0 ? .number(number) : .name(name), index)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.generalCategory.isLetter
            || scalar.properties.generalCategory == .decimalNumber
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isLetter: Bool {
        switch self {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }
}
