import PharosCore
import Rules

/// `pharos check rules FILE…`, as `promtool check rules`: each file is parsed and validated as
/// Prometheus' rulefmt does, then linted.
///
/// Output per file: `Checking FILE`, then `  SUCCESS: N rules found`, or `  FAILED:` on
/// standard error followed by one line per error (or the lint report); a blank line ends each
/// file. Exit code 1 when a file has errors, 3 when only lint findings and `lintFatal`, else 0.
package enum RulesChecker {
    /// promtool's `--lint` values: `all`, `duplicate-rules`, `none` (comma-separated).
    package struct Lint: Sendable {
        package var duplicateRules: Bool
        package var fatal: Bool

        package init(_ setting: String = "duplicate-rules", fatal: Bool = false) {
            let items = setting.split(separator: ",").map(String.init)
            duplicateRules = items.contains("all") || items.contains("duplicate-rules")
            self.fatal = fatal
        }
    }

    package static func check(files: [String], lint: Lint = Lint(), parser: RuleFileParser = RuleFileParser()) -> CommandOutput {
        var output = CommandOutput()
        var failed = false, hasErrors = false
        for file in files {
            output.out("Checking \(file)")
            do {
                let rules = try parser.load(path: file)
                if lint.duplicateRules, let report = duplicateReport(rules) {
                    output.err("  FAILED:")
                    output.err(report)
                    failed = true
                } else {
                    output.out("  SUCCESS: \(rules.ruleCount) rules found")
                }
            } catch {
                output.err("  FAILED:")
                for problem in error.errors { output.err(problem.description) }
                failed = true
                hasErrors = true
            }
            output.out("")
        }
        output.exitCode = failed && hasErrors ? 1 : failed && lint.fatal ? 3 : 0
        return output
    }

    /// promtool's duplicate-rules lint: rules with the same name and labels (group labels
    /// merged under the rule's), each listed once, sorted by name then labels.
    package static func duplicateReport(_ file: RuleFile) -> String? {
        var keys: [(String, Labels)] = []
        for group in file.groups {
            for rule in group.rules {
                var builder = LabelsBuilder(group.labels)
                for label in rule.labels { builder.set(label.name, label.value) }
                keys.append((rule.name, builder.labels()))
            }
        }
        keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var duplicates: [(String, Labels)] = []
        for index in keys.indices.dropFirst() where keys[index] == keys[index - 1] {
            if let last = duplicates.last, last == keys[index] { continue }
            duplicates.append(keys[index])
        }
        guard !duplicates.isEmpty else { return nil }
        var message = "lint error \(duplicates.count) duplicate rule(s) found.\n"
        for (name, labels) in duplicates {
            message += "Metric: \(name)\nLabel(s):\n"
            for label in labels { message += "\t\(label.name): \(label.value)\n" }
        }
        return message + "Might cause inconsistency while recording expressions"
    }
}
