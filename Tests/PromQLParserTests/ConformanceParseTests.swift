import Foundation
import PharosTestSupport
import Testing
@testable import PromQLParser

/// Parses every `eval` expression of Prometheus' promqltest scripts.
@Suite(.timeLimit(.minutes(5))) struct ConformanceParseTests {
    struct EvalLine {
        var file: String
        var line: Int
        var expression: String
        var expectsFailure: Bool
    }

    /// `eval[_x] instant at T EXPR` / `eval[_x] range from A to B step S EXPR`, plus whether
    /// the test expects the evaluation to fail (`eval_fail` or an `expect fail` line).
    static func evalLines() throws -> [EvalLine] {
        let folder = Conformance.path("promql")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".test") }.sorted()
        var result: [EvalLine] = []
        let instant = try Regex(#"^\s*eval(?:_(\w+))?\s+instant\s+(?:at\s+\S+\s+)?(.+)$"#)
        let range = try Regex(#"^\s*eval(?:_(\w+))?\s+range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+\s+(.+)$"#)
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() {
                let s = String(line)
                guard let match = (try? instant.wholeMatch(in: s)) ?? (try? range.wholeMatch(in: s)) else { continue }
                let modifier = match.output[1].substring.map(String.init)
                let expression = match.output[2].substring.map(String.init) ?? ""
                var fails = modifier == "fail"
                var j = index + 1
                while j < lines.count, lines[j].hasPrefix(" ") || lines[j].hasPrefix("\t") {
                    if lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("expect fail") { fails = true }
                    j += 1
                }
                result.append(EvalLine(file: file, line: index + 1, expression: expression, expectsFailure: fails))
            }
        }
        return result
    }

    @Test func everyEvalExpressionParses() throws {
        let lines = try Self.evalLines()
        #expect(lines.count == 2214)
        var parsed = 0
        var failures: [String: [String]] = [:]
        for line in lines {
            switch Result(catching: { () throws(ParseError) -> Expr in try parseExpr(line.expression) }) {
            case .success(let expr):
                parsed += 1
                // Round-trip: the printed form parses to the same text again.
                let printed = expr.description
                let reparsed = Result(catching: { () throws(ParseError) -> Expr in try parseExpr(printed) })
                #expect((try? reparsed.get())?.description == printed,
                        "\(line.file):\(line.line): \(line.expression) printed as \(printed)")
            case .failure(let error):
                let reason = Self.reason(error.message)
                failures[reason, default: []].append("\(line.file):\(line.line)\(line.expectsFailure ? " (expects fail)" : ""): \(line.expression) → \(error)")
            }
        }
        var report = "parsed \(parsed) of \(lines.count) eval expressions\n"
        for (reason, items) in failures.sorted(by: { $0.value.count > $1.value.count }) {
            report += "  \(items.count)× \(reason)\n"
            for item in items.prefix(3) { report += "      \(item)\n" }
        }
        print(report)
        #expect(parsed >= 2100, "\(report)")
    }

    /// Groups messages by their wording, without quoted specifics.
    static func reason(_ message: String) -> String {
        var out = ""
        var inQuote = false
        for c in message {
            if c == "\"" {
                inQuote.toggle()
                if inQuote { out += "\"…\"" }
                continue
            }
            if !inQuote { out.append(c) }
        }
        return out
    }
}
