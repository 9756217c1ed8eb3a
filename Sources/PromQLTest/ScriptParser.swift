import Foundation
import PharosCore
import PromQL

/// One expectation about annotations of one kind (warnings or infos).
package enum AnnotationPattern: Hashable, Sendable {
    case any
    case message(String)
    case regex(String)
}

/// How an eval is run.
package enum EvalKind: Hashable, Sendable {
    case instant(at: Timestamp)
    case range(start: Timestamp, end: Timestamp, step: Int64)
}

/// An `eval` block (conformance README §1.6).
package struct EvalCommand: Hashable, Sendable {
    package var line: Int
    package var query: String
    package var kind: EvalKind
    package var expectFail = false
    package var failMessage: String?
    package var failRegex: String?
    /// nil: not checked; []: `expect no_warn`; else each pattern must match and cover.
    package var warnings: [AnnotationPattern]?
    package var infos: [AnnotationPattern]?
    package var ordered = false
    package var rangeVector: (from: Timestamp, to: Timestamp, step: Int64)?
    package var expectedString: String?
    package var expectedScalar: Double?
    package var series: [SeriesLine] = []
    /// The block's body lines, as written.
    package var body: [String] = []

    package static func == (a: Self, b: Self) -> Bool { a.line == b.line && a.query == b.query }
    package func hash(into hasher: inout Hasher) { hasher.combine(line) }
}

/// A `load` block.
package struct LoadCommand: Hashable, Sendable {
    package var line: Int
    package var interval: Int64
    package var withNHCB: Bool
    package var series: [SeriesLine]
}

package enum ScriptCommand: Hashable, Sendable {
    case clear(line: Int)
    case load(LoadCommand)
    case eval(EvalCommand)
}

/// Reads a promqltest script into commands.
package enum ScriptParser {
    package static func parse(_ text: String, file: String = "script") throws(PromQLTestError) -> [ScriptCommand] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw -> String in
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.hasPrefix("#") ? "" : trimmed
        }
        var commands: [ScriptCommand] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.isEmpty {
                i += 1
                continue
            }
            let where_ = "\(file):\(i + 1)"
            let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { String($0).lowercased() } ?? ""
            if word == "clear" {
                commands.append(.clear(line: i + 1))
                i += 1
            } else if word.hasPrefix("load") {
                let start = i
                i += 1
                var body: [String] = []
                while i < lines.count, !lines[i].isEmpty {
                    body.append(lines[i])
                    i += 1
                }
                commands.append(.load(try parseLoad(line, body, line: start + 1, where: where_)))
            } else if word.hasPrefix("eval") {
                let start = i
                var command = try parseEvalHeader(line, line: start + 1, where: where_)
                i += 1
                while i < lines.count, !lines[i].isEmpty {
                    let ends = try parseEvalBody(lines[i], into: &command, where: "\(file):\(i + 1)")
                    i += 1
                    if ends { break }
                }
                commands.append(.eval(command))
            } else {
                throw PromQLTestError(where_, "unknown command", line)
            }
        }
        return commands
    }

    private static func fields(_ line: String) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    static func duration(_ text: some StringProtocol, _ where_: String) throws(PromQLTestError) -> Int64 {
        do {
            return try PrometheusDuration(parsing: String(text)).milliseconds
        } catch {
            throw PromQLTestError(where_, "invalid duration", String(text))
        }
    }

    private static func parseLoad(_ header: String, _ body: [String], line: Int, where where_: String) throws(PromQLTestError) -> LoadCommand {
        let parts = fields(header)
        guard parts.count == 2 else { throw PromQLTestError(where_, "invalid load command", header) }
        let interval = try duration(parts[1], where_)
        var series: [SeriesLine] = []
        for text in body {
            // Start-timestamp lines (`name@st …`) are not modelled; their sample line follows.
            if let first = fields(text).first, first.hasSuffix("@st") || (first.contains("}@st")) { continue }
            do {
                series.append(try SeriesNotation.parse(text))
            } catch {
                throw PromQLTestError(where_, error.message, text)
            }
        }
        return LoadCommand(line: line, interval: interval, withNHCB: parts[0].lowercased() == "load_with_nhcb", series: series)
    }

    private static func parseEvalHeader(_ header: String, line: Int, where where_: String) throws(PromQLTestError) -> EvalCommand {
        // Tokenise the header keeping character offsets so the expression keeps its spacing.
        var tokens: [(String, String.Index)] = []
        var index = header.startIndex
        func nextToken() -> (String, String.Index)? {
            while index < header.endIndex, header[index] == " " || header[index] == "\t" { index = header.index(after: index) }
            guard index < header.endIndex else { return nil }
            let start = index
            while index < header.endIndex, header[index] != " " && header[index] != "\t" { index = header.index(after: index) }
            return (String(header[start..<index]), start)
        }
        guard let command = nextToken() else { throw PromQLTestError(where_, "empty eval", header) }
        tokens.append(command)
        let word = command.0.lowercased()
        guard let mode = nextToken() else { throw PromQLTestError(where_, "missing eval mode", header) }
        var kind: EvalKind
        switch mode.0.lowercased() {
        case "instant":
            var token = nextToken()
            if token?.0 == "at" { token = nextToken() }
            guard let time = token else { throw PromQLTestError(where_, "missing eval time", header) }
            kind = .instant(at: try duration(time.0, where_))
        case "range":
            guard nextToken()?.0 == "from", let start = nextToken(), nextToken()?.0 == "to", let end = nextToken(),
                  nextToken()?.0 == "step", let step = nextToken() else {
                throw PromQLTestError(where_, "malformed range eval header", header)
            }
            let s = try duration(start.0, where_), e = try duration(end.0, where_)
            guard e >= s else { throw PromQLTestError(where_, "range end before start", header) }
            kind = .range(start: s, end: e, step: try duration(step.0, where_))
        default:
            throw PromQLTestError(where_, "unknown eval mode", header)
        }
        let query = String(header[index...]).trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { throw PromQLTestError(where_, "missing expression", header) }
        var eval = EvalCommand(line: line, query: query, kind: kind)
        switch word {
        case "eval": break
        case "eval_fail": eval.expectFail = true
        case "eval_warn": eval.warnings = [.any]
        case "eval_info": eval.infos = [.any]
        case "eval_ordered": eval.ordered = true
        default: throw PromQLTestError(where_, "unknown eval command", header)
        }
        return eval
    }

    /// Reads one body line; true when it ends the block (scalar or deprecated fail line).
    private static func parseEvalBody(_ text: String, into eval: inout EvalCommand, where where_: String) throws(PromQLTestError) -> Bool {
        eval.body.append(text)
        let parts = fields(text)
        if parts.first == "expected_fail_message" {
            eval.failMessage = String(text.dropFirst("expected_fail_message".count)).trimmingCharacters(in: .whitespaces)
            return true
        }
        if parts.first == "expected_fail_regexp" {
            eval.failRegex = String(text.dropFirst("expected_fail_regexp".count)).trimmingCharacters(in: .whitespaces)
            return true
        }
        if parts.first == "expect" {
            try parseExpect(text, parts, into: &eval, where: where_)
            return false
        }
        if parts.count == 1, let value = scalar(String(parts[0])) {
            eval.expectedScalar = value
            return true
        }
        do {
            eval.series.append(try SeriesNotation.parse(text))
        } catch {
            throw PromQLTestError(where_, error.message, text)
        }
        return false
    }

    private static func scalar(_ text: String) -> Double? {
        if let value = Int64(text) { return Double(value) }
        if text.lowercased().hasPrefix("0x"), let value = Int64(text.dropFirst(2), radix: 16) { return Double(value) }
        return SeriesNotation.number(text)
    }

    private static func parseExpect(_ text: String, _ parts: [Substring], into eval: inout EvalCommand, where where_: String) throws(PromQLTestError) {
        guard parts.count >= 2 else { throw PromQLTestError(where_, "empty expect", text) }
        let kind = parts[1]
        let afterColon: (String) -> String? = { marker in
            guard let range = text.range(of: marker) else { return nil }
            return String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        switch kind {
        case "fail":
            eval.expectFail = true
            if parts.count > 2 {
                if parts[2].hasPrefix("msg:") { eval.failMessage = afterColon("msg:") }
                else if parts[2].hasPrefix("regex:") { eval.failRegex = afterColon("regex:") }
                else { throw PromQLTestError(where_, "unknown expect fail form", text) }
            }
        case "warn", "info":
            var pattern = AnnotationPattern.any
            if parts.count > 2 {
                if parts[2].hasPrefix("msg:") { pattern = .message(afterColon("msg:") ?? "") }
                else if parts[2].hasPrefix("regex:") { pattern = .regex(afterColon("regex:") ?? "") }
                else { throw PromQLTestError(where_, "unknown expect \(kind) form", text) }
            }
            if kind == "warn" { eval.warnings = (eval.warnings ?? []) + [pattern] } else { eval.infos = (eval.infos ?? []) + [pattern] }
        case "no_warn": eval.warnings = []
        case "no_info": eval.infos = []
        case "ordered": eval.ordered = true
        case "range":
            // expect range vector from <a> to <b> step <s>
            guard parts.count == 9, parts[2] == "vector", parts[3] == "from", parts[5] == "to", parts[7] == "step" else {
                throw PromQLTestError(where_, "malformed expect range vector", text)
            }
            eval.rangeVector = (try duration(parts[4], where_), try duration(parts[6], where_), try duration(parts[8], where_))
        case "string":
            guard let literal = text.range(of: "string") else { throw PromQLTestError(where_, "malformed expect string", text) }
            let quoted = String(text[literal.upperBound...]).trimmingCharacters(in: .whitespaces)
            guard quoted.count >= 2, let first = quoted.first, first == "\"" || first == "`", quoted.last == first else {
                throw PromQLTestError(where_, "expect string needs a quoted literal", text)
            }
            var inner = String(quoted.dropFirst().dropLast())
            if first == "\"" {
                inner = inner.replacingOccurrences(of: "\\\\", with: "\u{0}").replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
                    .replacingOccurrences(of: "\u{0}", with: "\\")
            }
            eval.expectedString = inner
        default:
            throw PromQLTestError(where_, "unknown expect directive", text)
        }
    }
}
