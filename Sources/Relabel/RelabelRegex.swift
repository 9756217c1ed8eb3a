import Foundation
import PharosCore

/// A compiled, fully anchored relabel regex with capture groups (`^(?:pattern)$` as Prometheus).
///
/// Syntax is RE2's as far as ICU shares it; `(?P<name>…)` is accepted and rewritten to ICU's
/// `(?<name>…)`. As in Prometheus (`^(?s:…)$`), `.` also matches a newline. Immutable and thread-safe; equality is by pattern text.
package struct RelabelRegex: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written, without the anchors.
    package let pattern: String
    private let engine: Engine

    /// Prometheus' default `(.*)`.
    package static let `default` = try! RelabelRegex("(.*)")

    /// Compiles `pattern`; throws `RelabelError` (kind `invalidRegex`) when it does not compile.
    package init(_ pattern: String) throws(RelabelError) {
        self.pattern = pattern
        engine = try Engine(pattern)
    }

    /// Names of the capture groups by index (index 0 is the whole match and has no name).
    package var groupNames: [String?] { engine.groupNames }

    /// True when the whole of `value` matches.
    package func matches(_ value: String) -> Bool { engine.matches(value) }

    /// The capture groups of a whole-string match (index 0 = `value`), or nil without a match.
    /// A group that did not participate is nil.
    package func captures(_ value: String) -> [Substring?]? { engine.captures(value) }

    package var description: String { pattern }

    package static func == (lhs: RelabelRegex, rhs: RelabelRegex) -> Bool { lhs.pattern == rhs.pattern }
    package func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

extension RelabelRegex {
    fileprivate final class Engine: @unchecked Sendable {
        // Immutable after init; NSRegularExpression matching is thread-safe.
        private enum Shape {
            case captureAll          // (.*)
            case any                 // .*
            case captureNonEmpty     // (.+)
            case nonEmpty            // .+
            case prefix(String)      // literal.*
            case literals(Set<String>)
            case general
        }

        private let shape: Shape
        private let compiled: NSRegularExpression
        let groupNames: [String?]

        init(_ pattern: String) throws(RelabelError) {
            do {
                compiled = try NSRegularExpression(pattern: "\\A(?:" + Engine.icuSpelling(pattern) + ")\\z",
                                                   options: [.dotMatchesLineSeparators])
            } catch {
                throw RelabelError(.invalidRegex, "error parsing regexp \(goQuote(pattern)): invalid or unsupported syntax")
            }
            let scanned = [nil] + Engine.captureGroupNames(pattern)
            // Should our scan ever disagree with ICU, keep the right count without names.
            groupNames = scanned.count == compiled.numberOfCaptureGroups + 1
                ? scanned : Array(repeating: nil, count: compiled.numberOfCaptureGroups + 1)
            if pattern == "(.*)" {
                shape = .captureAll
            } else if pattern == ".*" {
                shape = .any
            } else if pattern == "(.+)" {
                shape = .captureNonEmpty
            } else if pattern == ".+" {
                shape = .nonEmpty
            } else if pattern.hasSuffix(".*"), let literals = Engine.literalAlternation(String(pattern.dropLast(2))),
                      literals.count == 1 {
                shape = .prefix(literals[0])
            } else if let literals = Engine.literalAlternation(pattern) {
                shape = .literals(Set(literals))
            } else {
                shape = .general
            }
        }

        func matches(_ value: String) -> Bool {
            switch shape {
            case .captureAll, .any: return true
            case .captureNonEmpty, .nonEmpty: return !value.isEmpty
            case .prefix(let prefix): return value.utf8.starts(with: prefix.utf8)
            case .literals(let set): return Engine.containsExactly(set, value)
            case .general: return slowMatches(value)
            }
        }

        private func slowMatches(_ value: String) -> Bool {
            compiled.firstMatch(in: value, range: NSRange(location: 0, length: value.utf16.count)) != nil
        }

        func captures(_ value: String) -> [Substring?]? {
            switch shape {
            case .captureAll: return [value[...], value[...]]
            case .any: return [value[...]]
            case .captureNonEmpty: return value.isEmpty ? nil : [value[...], value[...]]
            case .nonEmpty: return value.isEmpty ? nil : [value[...]]
            case .prefix(let prefix): return value.utf8.starts(with: prefix.utf8) ? [value[...]] : nil
            case .literals(let set): return Engine.containsExactly(set, value) ? [value[...]] : nil
            default: break
            }
            guard let match = compiled.firstMatch(in: value, range: NSRange(location: 0, length: value.utf16.count)) else {
                return nil
            }
            var out: [Substring?] = []
            out.reserveCapacity(match.numberOfRanges)
            for index in 0..<match.numberOfRanges {
                let range = match.range(at: index)
                if range.location == NSNotFound {
                    out.append(nil)
                } else if let swiftRange = Range(range, in: value) {
                    out.append(value[swiftRange])
                } else {
                    out.append(nil)
                }
            }
            return out
        }

        /// Rewrites the RE2 spellings ICU lacks: `(?P<name>` → `(?<name>`, `\pL` → `\p{L}`.
        static func icuSpelling(_ pattern: String) -> String {
            guard pattern.contains("\\p") || pattern.contains("\\P") || pattern.contains("(?P<") else { return pattern }
            let chars = Array(pattern.unicodeScalars)
            var out = String.UnicodeScalarView()
            var index = 0
            while index < chars.count {
                let c = chars[index]
                if c == "\\", index + 1 < chars.count {
                    let next = chars[index + 1]
                    if next == "p" || next == "P", index + 2 < chars.count, chars[index + 2] != "{" {
                        out.append(contentsOf: ["\\", next, "{", chars[index + 2], "}"])
                        index += 3
                    } else {
                        out.append(contentsOf: [c, next])
                        index += 2
                    }
                    continue
                }
                if c == "(", index + 3 < chars.count, chars[index + 1] == "?", chars[index + 2] == "P", chars[index + 3] == "<" {
                    out.append(contentsOf: ["(", "?", "<"])
                    index += 4
                    continue
                }
                out.append(c)
                index += 1
            }
            return String(out)
        }

        /// Names of capturing groups in order of their opening parenthesis; nil for unnamed ones.
        static func captureGroupNames(_ pattern: String) -> [String?] {
            let chars = Array(pattern.unicodeScalars)
            var names: [String?] = []
            var index = 0
            var inClass = false
            while index < chars.count {
                let c = chars[index]
                if c == "\\" {
                    index += 2
                    continue
                }
                if inClass {
                    if c == "]" { inClass = false }
                    index += 1
                    continue
                }
                if c == "[" {
                    inClass = true
                    index += 1
                    // A leading ']' (or '^]') is literal inside a class.
                    if index < chars.count, chars[index] == "^" { index += 1 }
                    if index < chars.count, chars[index] == "]" { index += 1 }
                    continue
                }
                if c == "(" {
                    if index + 1 < chars.count, chars[index + 1] == "?" {
                        var nameStart = -1
                        if index + 3 < chars.count, chars[index + 2] == "P", chars[index + 3] == "<" {
                            nameStart = index + 4
                        } else if index + 2 < chars.count, chars[index + 2] == "<",
                                  index + 3 < chars.count, chars[index + 3] != "=", chars[index + 3] != "!" {
                            nameStart = index + 3
                        }
                        if nameStart >= 0 {
                            var end = nameStart
                            while end < chars.count, chars[end] != ">" { end += 1 }
                            var name = ""
                            name.unicodeScalars.append(contentsOf: chars[nameStart..<min(end, chars.count)])
                            names.append(name)
                            index = end + 1
                            continue
                        }
                    } else {
                        names.append(nil)
                    }
                }
                index += 1
            }
            return names
        }

        /// Set membership by bytes: Swift's `==` equates canonically equivalent strings
        /// ("é" composed and decomposed), which a regex does not.
        private static func containsExactly(_ set: Set<String>, _ value: String) -> Bool {
            guard let index = set.firstIndex(of: value) else { return false }
            return set[index].utf8.elementsEqual(value.utf8)
        }

        /// `a|b|c` made only of characters with no regex meaning → ["a", "b", "c"].
        private static func literalAlternation(_ pattern: String) -> [String]? {
            let special: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$"]
            if pattern.contains(where: { special.contains($0) }) { return nil }
            return pattern.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
