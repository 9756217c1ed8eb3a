import Foundation
import PharosCore

/// Syntax checks for Kubernetes label and field selectors (client-go's `labels.Parse` and
/// `fields.ParseSelector`), so a bad selector fails at config load, not at the API server.
/// Pure; the strings are sent to the server unchanged.
package enum KubernetesSelectorSyntax {
    /// nil when `selector` is a valid label selector: comma-separated requirements
    /// `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
    /// `key>1`, `key<1`. Otherwise what is wrong.
    package static func labelSelectorProblem(_ selector: String) -> String? {
        let text = selector.trimmingSpaces
        if text.isEmpty { return nil }
        for requirement in splitOutsideParentheses(text) {
            if let problem = requirementProblem(requirement.trimmingSpaces) {
                return "unable to parse requirement \(goQuote(String(requirement))): \(problem)"
            }
        }
        return nil
    }

    /// nil when `selector` is a valid field selector: comma-separated `key=value`,
    /// `key==value` or `key!=value` terms (`\` escapes `,`, `=`, `!` and `\` in values).
    package static func fieldSelectorProblem(_ selector: String) -> String? {
        if selector.trimmingSpaces.isEmpty { return nil }
        var terms: [String] = [], current = "", escaped = false
        for character in selector {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { current.append(character); escaped = true; continue }
            if character == "," { terms.append(current); current = ""; continue }
            current.append(character)
        }
        if escaped { return "invalid field selector \(goQuote(selector)): trailing backslash" }
        terms.append(current)
        for term in terms {
            let operators = ["!=", "==", "="]
            guard let op = operators.first(where: { term.contains($0) }), let range = term.range(of: op),
                  !term[..<range.lowerBound].trimmingSpaces.isEmpty
            else {
                return "invalid selector: \(goQuote(term)); can't understand \(goQuote(term))"
            }
        }
        return nil
    }

    private static func requirementProblem(_ text: Substring) -> String? {
        if text.isEmpty { return "found '', expected: !, identifier, or 'end of string'" }
        if text.hasPrefix("!") {
            let key = text.dropFirst().trimmingSpaces
            return keyProblem(key)
        }
        for op in ["!=", "==", "=", ">", "<"] {
            guard let range = text.range(of: op) else { continue }
            let key = text[..<range.lowerBound].trimmingSpaces, value = text[range.upperBound...].trimmingSpaces
            if let problem = keyProblem(key) { return problem }
            if op == ">" || op == "<" {
                return Int(value) == nil ? "for 'Gt', 'Lt' operators, the value must be an integer" : nil
            }
            return valueProblem(value)
        }
        let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if words.count == 2 {
            let rest = words[1].trimmingSpaces
            for op in ["notin", "in"] where rest.hasPrefix(op) {
                let list = rest.dropFirst(op.count).trimmingSpaces
                guard list.hasPrefix("("), list.hasSuffix(")") else { return "found \(goQuote(String(list))), expected: '('" }
                if let problem = keyProblem(words[0]) { return problem }
                for value in list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false) {
                    if let problem = valueProblem(value.trimmingSpaces) { return problem }
                }
                return nil
            }
            return "found \(goQuote(String(rest))), expected: in, notin, =, ==, !=, gt, lt"
        }
        return keyProblem(text)
    }

    /// A qualified name: optional DNS-subdomain prefix and `/`, then a name part.
    private static func keyProblem(_ key: Substring) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.last, isNamePart(name), name.count <= 63 else {
            return "invalid label key \(goQuote(String(key))): name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        }
        if parts.count == 2, parts[0].isEmpty || parts[0].count > 253
            || !parts[0].allSatisfy({ $0.isASCII && ($0.isLetter && $0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) {
            return "invalid label key \(goQuote(String(key))): prefix part must be a lowercase RFC 1123 subdomain"
        }
        return nil
    }

    private static func valueProblem(_ value: Substring) -> String? {
        if value.isEmpty { return nil }
        guard value.count <= 63, isNamePart(value) else {
            return "invalid label value: \(goQuote(String(value))): a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        }
        return nil
    }

    private static func isNamePart(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return text.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    private static func isAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }

    private static func splitOutsideParentheses(_ text: Substring) -> [Substring] {
        var parts: [Substring] = [], depth = 0, start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                parts.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let scalars = self[...]
        let start = scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.endIndex
        let end = scalars.lastIndex { $0 != " " && $0 != "\t" }.map { scalars.index(after: $0) } ?? start
        return Substring(scalars[start..<Swift.max(start, end)])
    }
}
