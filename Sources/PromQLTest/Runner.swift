import Foundation
import PharosCore
import PromQL
import PromQLParser

/// Runs promqltest scripts (conformance README §1) against the engine and a storage made by
/// `makeStorage` (called at start and on every `clear`). A failing eval never stops its file.
package struct ConformanceRunner: Sendable {
    package typealias Storage = any Appendable & Queryable
    private let engine: Engine
    private let makeStorage: @Sendable () -> Storage
    /// Also run each passing instant eval as a range query over t-1m…t+1m and check the
    /// middle step (the reference harness's range-mode cross-check, README §1.9).
    private let crossCheckRangeMode: Bool

    /// Files whose every eval needs experimental syntax or features.
    package static let experimentalFiles: Set<String> = [
        "duration_expression.test", "extended_vectors.test", "fill-modifier.test", "info.test", "limit.test",
        "type_and_unit.test", "start_timestamps.test",
    ]

    package init(engine: Engine, crossCheckRangeMode: Bool = true, makeStorage: @escaping @Sendable () -> Storage) {
        self.engine = engine
        self.crossCheckRangeMode = crossCheckRangeMode
        self.makeStorage = makeStorage
    }

    /// Runs every `*.test` file of a folder, in name order.
    package func run(directory: String) async -> ConformanceReport {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".test") }.sorted()
        var report = ConformanceReport()
        for name in names {
            report.files.append(await run(file: directory + "/" + name))
        }
        return report
    }

    package func run(file path: String) async -> FileReport {
        let name = (path as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            var report = FileReport(file: name)
            report.scriptError = "cannot read \(path)"
            return report
        }
        return await run(script: text, name: name)
    }

    package func run(script text: String, name: String) async -> FileReport {
        var report = FileReport(file: name)
        let commands: [ScriptCommand]
        do {
            commands = try ScriptParser.parse(text, file: name)
        } catch {
            report.scriptError = error.description
            return report
        }
        var state = RunState(storage: makeStorage())
        for command in commands {
            switch command {
            case .clear:
                state = RunState(storage: makeStorage())
            case .load(let load):
                do {
                    try await state.load(load)
                } catch {
                    report.scriptError = "\(name):\(load.line): load failed: \(error)"
                    return report
                }
            case .eval(let eval):
                let evalClass = classify(eval, file: name, state: state)
                let failure = await check(eval, state: state)
                report.outcomes.append(EvalOutcome(file: name, line: eval.line, evalClass: evalClass, failure: failure))
            }
        }
        return report
    }

    private func classify(_ eval: EvalCommand, file: String, state: RunState) -> EvalClass {
        if Self.experimentalFiles.contains(file) { return .experimental }
        let expr = try? parseExpr(eval.query)
        if let expr, ExprFacts.usesExperimental(expr) { return .experimental }
        if eval.body.contains(where: { $0.contains("{{") }) { return .nativeHistogram }
        if let expr {
            if ExprFacts.usesNativeHistogramFunction(expr) { return .nativeHistogram }
            let selectors = ExprFacts.selectors(expr)
            for labels in state.histogramSeries where selectors.contains(where: { $0.matches(labels) }) {
                return .nativeHistogram
            }
        } else if ExprFacts.looksExperimental(eval.query) {
            return .experimental
        }
        return .float
    }

    /// nil when the eval and its step-invariance variants pass, else why it failed.
    private func check(_ eval: EvalCommand, state: RunState) async -> String? {
        if let failure = await check(eval, state: state, pinnedAt: nil) { return failure }
        guard crossCheckRangeMode, case .instant(let time) = eval.kind, let expr = try? parseExpr(eval.query),
              StepInvariance.applies(to: expr) else { return nil }
        for runTime in StepInvariance.times(for: time) {
            var variant = eval
            variant.kind = .instant(at: runTime)
            let pinned = StepInvariance.pinned(expr, at: time)
            if let failure = await check(variant, state: state, pinnedAt: pinned) {
                return "with @ \(time) at \(runTime): " + failure
            }
        }
        return nil
    }

    private func check(_ eval: EvalCommand, state: RunState, pinnedAt pinned: Expr?) async -> String? {
        let result: QueryResult
        do {
            switch eval.kind {
            case .instant(let time):
                if let pinned {
                    result = try await engine.instantQuery(pinned, source: eval.query, at: time, on: state.storage)
                } else {
                    result = try await engine.instantQuery(eval.query, at: time, on: state.storage)
                }
            case .range(let start, let end, let step):
                result = try await engine.rangeQuery(eval.query, start: start, end: end, step: step, on: state.storage)
            }
        } catch {
            guard eval.expectFail else { return "unexpected error: \(error.message)" }
            if let message = eval.failMessage, error.message != message {
                return "expected error \(goQuote(message)), got \(goQuote(error.message))"
            }
            if let pattern = eval.failRegex, !ResultComparison.regexMatches(pattern, error.message) {
                return "error \(goQuote(error.message)) does not match /\(pattern)/"
            }
            return nil
        }
        if eval.expectFail { return "expected an error, got a \(result.value.resultType)" }
        if let failure = ResultComparison.annotations(eval.warnings, result.annotations.warnings, kind: "warning") { return failure }
        if let failure = ResultComparison.annotations(eval.infos, result.annotations.infos, kind: "info") { return failure }
        if let failure = ResultComparison.value(eval, result.value) { return failure }
        guard crossCheckRangeMode, case .instant(let time) = eval.kind, eval.rangeVector == nil, eval.expectedString == nil,
              !eval.ordered, !["start()", "end()", "range()", "step()"].contains(where: { eval.query.contains($0) }) else {
            return nil
        }
        do throws(QueryError) {
            let expr = try Engine.parse(eval.query)
            let ranged = try await engine.rangeQuery(pinned ?? expr, source: eval.query, start: time - 60_000, end: time + 60_000,
                                                     step: 60_000, on: state.storage)
            guard case .matrix(let series) = ranged.value else { return "range mode: expected a matrix" }
            let middle = series.compactMap { item in
                item.samples.first { $0.timestamp == time }.map { InstantSample(labels: item.labels, timestamp: time, value: $0.value) }
            }
            var asVector = eval
            if let scalar = eval.expectedScalar {
                asVector.expectedScalar = nil
                asVector.series = [SeriesLine(labels: .empty, values: [.float(scalar)])]
            }
            return ResultComparison.value(asVector, .vector(middle)).map { "range mode: " + $0 }
        } catch {
            return "range mode: unexpected error: \(error.message)"
        }
    }
}

/// Storage and what the loads put into it.
private struct RunState {
    var storage: any Appendable & Queryable
    /// Series that hold native histograms in the script (not stored: floats only so far).
    var histogramSeries: Set<Labels> = []

    init(storage: any Appendable & Queryable) { self.storage = storage }

    mutating func load(_ load: LoadCommand) async throws {
        let appender = storage.makeAppender()
        // The same label set twice in one block: the later line wins (README §1.3).
        var lastLine: [Labels: Int] = [:]
        for (index, line) in load.series.enumerated() { lastLine[line.labels] = index }
        for (index, line) in load.series.enumerated() where lastLine[line.labels] == index {
            for (slot, value) in line.values.enumerated() {
                let time = Int64(slot) * load.interval
                switch value {
                case .float(let v): try appender.append(line.labels, at: time, value: v)
                case .stale: try appender.append(line.labels, at: time, value: StaleNaN.value)
                case .omitted: break
                case .histogram: histogramSeries.insert(line.labels)
                }
            }
            if load.withNHCB, let name = line.labels.metricName {
                for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
                    let base = String(name.dropLast(suffix.count))
                    histogramSeries.insert(line.labels.removing(["le"]).setting(Labels.metricName, to: base))
                }
            }
        }
        try await appender.commit()
    }
}
