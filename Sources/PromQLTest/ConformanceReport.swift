/// The class of an eval, for per-class pass counts.
package enum EvalClass: String, Sendable, Hashable, CaseIterable, Comparable {
    case float
    case nativeHistogram = "native-histogram"
    case experimental

    package static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The result of one eval: `file:line`, class, and why it failed.
package struct EvalOutcome: Sendable, Hashable {
    package var file: String
    package var line: Int
    package var evalClass: EvalClass
    package var failure: String?

    package var passed: Bool { failure == nil }
    package var name: String { "\(file):\(line)" }
}

/// Pass/fail counts of one script.
package struct FileReport: Sendable {
    package var file: String
    package var outcomes: [EvalOutcome] = []
    /// A script error that stopped the file (unreadable script, failed load).
    package var scriptError: String?

    package init(file: String) { self.file = file }

    package var passed: Int { outcomes.filter(\.passed).count }
    package var total: Int { outcomes.count }

    package func count(_ evalClass: EvalClass) -> (passed: Int, total: Int) {
        let matching = outcomes.filter { $0.evalClass == evalClass }
        return (matching.filter(\.passed).count, matching.count)
    }
}

/// Results over many scripts, printable as `file: passed/total` lines and totals.
package struct ConformanceReport: Sendable, CustomStringConvertible {
    package var files: [FileReport] = []

    package init(files: [FileReport] = []) { self.files = files }

    package func count(_ evalClass: EvalClass) -> (passed: Int, total: Int) {
        files.reduce((0, 0)) { sum, file in
            let c = file.count(evalClass)
            return (sum.0 + c.passed, sum.1 + c.total)
        }
    }

    package var failures: [EvalOutcome] { files.flatMap { $0.outcomes.filter { !$0.passed } } }

    package var description: String {
        var lines: [String] = []
        for file in files {
            let perClass = EvalClass.allCases.map { c -> String in
                let n = file.count(c)
                return "\(c.rawValue) \(n.passed)/\(n.total)"
            }.joined(separator: ", ")
            var line = "\(file.file): \(file.passed)/\(file.total) (\(perClass))"
            if let error = file.scriptError { line += " script error: \(error)" }
            lines.append(line)
        }
        let passed = files.reduce(0) { $0 + $1.passed }, total = files.reduce(0) { $0 + $1.total }
        let perClass = EvalClass.allCases.map { c -> String in
            let n = count(c)
            return "\(c.rawValue) \(n.passed)/\(n.total)"
        }.joined(separator: ", ")
        lines.append("total: \(passed)/\(total) (\(perClass))")
        return lines.joined(separator: "\n")
    }
}
