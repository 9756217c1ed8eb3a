import Foundation
import Logging
import PharosConfig
import PharosCore
import PromQL
import PromQLParser
import PromQLTest
import Rules

/// `pharos test rules FILE…`, as `promtool test rules`: each test group loads its input series
/// lazily into a fresh TSDB, evaluates the rule files' groups every `evaluation_interval` from
/// time 0 (or `start_timestamp`) up to the last `eval_time`, checks firing alerts at each
/// `alert_rule_test` time and then each `promql_expr_test`.
///
/// Output per file: `Unit Testing:  FILE`, then `  SUCCESS`, or `  FAILED:` on standard error
/// and each failure in promtool's words followed by a blank line; a blank line ends each file.
/// Exit code 1 when any file failed.
package enum RulesUnitTester {
    /// `run`: promtool's `--run` regexes; only test groups whose name one of them matches
    /// (unanchored) run; empty runs all.
    package static func run(files: [String], run: [String] = [],
                            templates: (any AlertTemplateExpander)? = nil) async -> CommandOutput {
        var output = CommandOutput()
        var failed = false
        for file in files {
            output.out("Unit Testing:  \(file)")
            let errors = await test(file: file, run: run, templates: templates)
            if errors.isEmpty {
                output.out("  SUCCESS")
            } else {
                failed = true
                output.err("  FAILED:")
                for error in errors {
                    output.err(error)
                    output.out("")
                }
            }
            output.out("")
        }
        output.exitCode = failed ? 1 : 0
        return output
    }

    /// The failures of one test file, in promtool's wording; empty when it passes.
    static func test(file: String, run: [String], templates: (any AlertTemplateExpander)?) async -> [String] {
        let testFile: RuleTestFile
        do {
            testFile = try RuleTestFile.load(path: file)
        } catch {
            return ["\(error)"]
        }
        var order: [String: Int] = [:]
        for (index, name) in testFile.groupEvalOrder.enumerated() {
            if order[name] != nil { return ["group name repeated in evaluation order: \(name)"] }
            order[name] = index
        }
        var errors: [String] = []
        let patterns = run.compactMap { try? NSRegularExpression(pattern: $0) }
        for (index, var group) in testFile.tests.enumerated() {
            if !patterns.isEmpty, !patterns.contains(where: { pattern in
                pattern.firstMatch(in: group.name, range: NSRange(group.name.startIndex..., in: group.name)) != nil
            }) { continue }
            if group.interval == 0 { group.interval = testFile.evaluationInterval }
            let name = group.name.isEmpty ? "unnamed#\(index)" : group.name
            errors += await RuleTestGroupRun(group: group, name: name, file: testFile, order: order, templates: templates).run()
        }
        return errors
    }
}

/// One test group's run.
struct RuleTestGroupRun {
    var group: RuleTestFile.TestGroup
    var name: String
    var file: RuleTestFile
    var order: [String: Int]
    /// nil: Prometheus' templates, querying the test's own data.
    var templates: (any AlertTemplateExpander)?

    func run() async -> [String] {
        // Input series, expanded at the group's interval from its start.
        var samples: [(Labels, Timestamp, Double)] = []
        for input in group.inputSeries {
            let line: SeriesLine
            do {
                line = try SeriesNotation.parse(input.series + " " + input.values)
            } catch {
                return ["\(error)"]
            }
            for (step, value) in line.values.enumerated() {
                let time = group.start + Int64(step) * group.interval
                switch value {
                case .float(let number): samples.append((line.labels, time, number))
                case .stale: samples.append((line.labels, time, StaleNaN.value))
                case .omitted: break
                case .histogram: return ["native histograms in input series are not supported yet: \(input.series)"]
                }
            }
        }
        samples.sort { $0.1 < $1.1 }
        let storages = ScratchTSDBs()
        defer { storages.close() }
        let storage = storages.make()
        let engine = Engine(options: EngineOptions(defaultSubqueryStep: file.evaluationInterval))
        var options = RuleGroupOptions(querying: EngineQuerying(engine: engine, storage: storage), appendable: storage,
                                       queryable: storage, templates: templates, externalLabels: group.externalLabels,
                                       externalURL: group.externalURL,
                                       logger: Logger(label: "pharos.rules.test") { _ in SwiftLogNoOpLogHandler() })
        options.now = { 0 }
        var groups: [RuleGroup] = []
        let parser = RuleFileParser(templates: options.templates)
        for ruleFile in file.ruleFiles {
            do {
                let parsed = try parser.load(path: ruleFile)
                for spec in parsed.groups {
                    groups.append(try RuleGroup(spec: spec, file: ruleFile, defaultInterval: group.interval, defaultQueryOffset: 0,
                                                options: options, shouldRestore: false))
                }
            } catch let error as RuleFileErrors {
                return error.errors.map(\.description)
            } catch {
                return ["\(error)"]
            }
        }
        let indexed = groups.enumerated().map { ($0.offset, $0.element) }
        groups = indexed.sorted { (order[$0.1.name] ?? 0, $0.0) < (order[$1.1.name] ?? 0, $1.0) }.map(\.1)

        var alertTimes: [Int64] = []
        for test in group.alertTests {
            if test.alertname.isEmpty {
                let where_ = group.name.isEmpty ? "" : " (in TestGroup \(group.name))"
                return ["an item under alert_rule_test misses required attribute alertname at eval_time \(PrometheusDuration(milliseconds: test.evalTime))\(where_)"]
            }
            if !alertTimes.contains(test.evalTime) { alertTimes.append(test.evalTime) }
        }
        alertTimes.sort()
        let mint = group.start, maxt = group.start + group.maxEvalTime
        let interval = file.evaluationInterval
        var errors: [String] = []
        var loaded = 0
        var current = 0
        var ts = mint
        while ts <= maxt {
            if let failure = await load(samples, through: ts, from: &loaded, into: storage) { return errors + [failure] }
            var evalErrors: [String] = []
            for ruleGroup in groups {
                await ruleGroup.evaluate(at: ts)
                for rule in ruleGroup.snapshot().rules {
                    if let error = rule.lastError {
                        evalErrors.append("    rule: \(rule.definition.spec.name), time: \(Self.goDuration(ts - mint)), err: \(error)")
                    }
                }
            }
            errors += evalErrors
            if !evalErrors.isEmpty { return errors }
            while current < alertTimes.count, ts - mint <= alertTimes[current], alertTimes[current] < ts + interval - mint {
                errors += checkAlerts(at: alertTimes[current], groups: groups)
                current += 1
            }
            ts += interval
        }
        for test in group.exprTests {
            if let failure = await checkExpr(test, engine: engine, storage: storage, at: mint + test.evalTime) { errors.append(failure) }
        }
        return errors
    }

    private func load(_ samples: [(Labels, Timestamp, Double)], through time: Timestamp, from index: inout Int,
                      into storage: any Appendable) async -> String? {
        let appender = storage.makeAppender()
        while index < samples.count, samples[index].1 <= time {
            do {
                _ = try appender.append(.unknown, samples[index].0, at: samples[index].1, value: samples[index].2, options: .none)
            } catch {
                appender.rollback()
                return "cannot load \(samples[index].0): \(error)"
            }
            index += 1
        }
        do { try await appender.commit() } catch { return "cannot load the input series: \(error)" }
        return nil
    }
}
