import Foundation
import PharosCore
import PromQL
import PromQLTest

/// `pharos promql test FILE…`: runs promqltest scripts with the engine on a real TSDB head
/// (a TSDB opened in a temporary folder, a fresh one for every `clear`).
///
/// Output: per file `FILE: passed/total (float a/b, native-histogram c/d, experimental e/f)`
/// (plus ` script error: …` when the script stopped early); with `verbose`, each failure as
/// `  FILE:LINE [class]: reason`; then `N passed, M failed`. Exit code 1 when a `float` eval
/// failed or a script stopped early, or, with `strict`, when anything failed.
package enum PromQLTestCommand {
    /// The engine settings of Prometheus' promqltest harness that Pharos supports.
    package static let engine = Engine(options: EngineOptions(enableDelayedNameRemoval: true, enableTypeAndUnitLabels: true))

    package static func run(files: [String], verbose: Bool = false, strict: Bool = false) async -> CommandOutput {
        let storages = ScratchTSDBs()
        defer { storages.close() }
        let runner = ConformanceRunner(engine: engine, makeStorage: { storages.make() })
        var output = CommandOutput()
        var passed = 0, failed = 0, floatFailed = false, scriptFailed = false
        for file in files {
            var report = await runner.run(file: file)
            report.file = file
            let perClass = EvalClass.allCases.map { evalClass -> String in
                let count = report.count(evalClass)
                return "\(evalClass.rawValue) \(count.passed)/\(count.total)"
            }.joined(separator: ", ")
            var line = "\(file): \(report.passed)/\(report.total) (\(perClass))"
            if let error = report.scriptError {
                line += " script error: \(error)"
                scriptFailed = true
            }
            output.out(line)
            for outcome in report.outcomes where !outcome.passed {
                if outcome.evalClass == .float { floatFailed = true }
                if verbose {
                    output.out("  \(file):\(outcome.line) [\(outcome.evalClass.rawValue)]: \(outcome.failure ?? "")")
                }
            }
            passed += report.passed
            failed += report.total - report.passed
        }
        output.out("\(passed) passed, \(failed) failed")
        if floatFailed || scriptFailed || (strict && failed > 0) { output.exitCode = 1 }
        return output
    }
}
