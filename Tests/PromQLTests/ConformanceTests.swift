import Foundation
import PharosCore
import PharosTestSupport
import PromQL
import Testing

@Suite struct ConformanceTests {
    /// The settings of Prometheus' test engine (conformance README §1.8) that Pharos supports.
    static let engine = Engine(options: EngineOptions(enableDelayedNameRemoval: true, enableTypeAndUnitLabels: true))

    @Test func promqlScriptsMeetTheFloors() async throws {
        let runner = ConformanceRunner(engine: Self.engine, makeStorage: { MemoryStorage() })
        let report = await runner.run(directory: Conformance.path("promql"))
        print(report)
        if let path = ProcessInfo.processInfo.environment["PHAROS_CONFORMANCE_FAILURES"] {
            let text = report.failures.map { "\($0.name) [\($0.evalClass.rawValue)] \($0.failure ?? "")" }.joined(separator: "\n")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(report.files.count == 21)
        #expect(report.files.allSatisfy { $0.scriptError == nil }, "\(report.files.compactMap(\.scriptError))")
        #expect(report.count(.float).passed >= ConformanceFloor.float)
        #expect(report.count(.nativeHistogram).passed >= ConformanceFloor.nativeHistogram)
        #expect(report.count(.experimental).passed >= ConformanceFloor.experimental)
    }
}
