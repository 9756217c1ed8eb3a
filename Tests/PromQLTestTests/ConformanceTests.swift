import Foundation
import Logging
import PharosCore
import PharosTestSupport
import PromQL
import PromQLTest
import TSDB
import Testing

@Suite(.timeLimit(.minutes(10))) struct ConformanceTests {
    /// The settings of Prometheus' test engine (conformance README §1.8) that Pharos supports.
    static let engine = Engine(options: EngineOptions(enableDelayedNameRemoval: true, enableTypeAndUnitLabels: true))

    /// As Prometheus' test storage: 24 h blocks, so loads may go back up to 12 h before the
    /// head's newest sample (the appendable window is half a block range).
    static let tsdbOptions: TSDBOptions = {
        var options = TSDBOptions()
        options.blockRange = 24 * 3_600_000
        options.retentionTime = nil
        return options
    }()

    @Test func promqlScriptsMeetTheFloors() async throws {
        // Each `load` block after a `clear` goes into a fresh, real TSDB (WAL + head).
        let root = try TemporaryDirectory(prefix: "pharos-conformance")
        defer { root.remove() }
        let runner = ConformanceRunner(engine: Self.engine, makeStorage: {
            // Opening an empty folder cannot fail short of a full disk; a crash then is the right report.
            try! TSDB.open(directory: root.path + "/" + UUID().uuidString, options: Self.tsdbOptions,
                           logger: Logger(label: "conformance"))
        })
        let report = await runner.run(directory: Conformance.path("promql"))
        print(report)
        if let path = ProcessInfo.processInfo.environment["PHAROS_CONFORMANCE_FAILURES"] {
            let text = report.failures.map { "\($0.name) [\($0.evalClass.rawValue)] \($0.failure ?? "")" }.joined(separator: "\n")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(Set(report.files.map(\.file)) == Set(ConformanceFloor.perFile.keys))
        #expect(report.files.allSatisfy { $0.scriptError == nil }, "\(report.files.compactMap(\.scriptError))")
        for file in report.files {
            guard let floor = ConformanceFloor.perFile[file.file] else { continue }
            let failures = file.outcomes.filter { !$0.passed }.map(\.name)
            #expect(file.count(.float).passed >= floor.float, "\(file.file) float; failing: \(failures)")
            #expect(file.count(.nativeHistogram).passed >= floor.nativeHistogram, "\(file.file) native histograms")
            #expect(file.count(.experimental).passed >= floor.experimental, "\(file.file) experimental; failing: \(failures)")
        }
    }
}
