import Foundation
import Metrics
import PharosServer
import PharosTestSupport
import Testing

@Suite(.timeLimit(.minutes(10))) struct MetricsEndpointTests {
    @Test func servesProcessAndServerMetrics() async throws {
        try await withLiveServer { port, _ async throws in
            let response = try await TestHTTPClient(port: port).get("/metrics")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            for name in ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_start_time_seconds",
                         "process_open_fds", "process_max_fds", "process_virtual_memory_bytes"] {
                #expect(response.body.contains("# TYPE \(name) "), "missing \(name)")
            }
            #expect(response.body.contains("\npharos_config_last_reload_successful 1"))
            let resident = response.body.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
            let value = resident.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
            #expect(value > 1_000_000, "resident memory should be real, got \(value)")
        }
    }

    @Test func passesPromtoolCheckMetrics() async throws {
        let promtool = Peers.promtool
        guard FileManager.default.isExecutableFile(atPath: promtool) else {
            Issue.record("promtool is missing at \(promtool): run scripts/install-test-deps.sh (Debian package prometheus)")
            return
        }
        try await withLiveServer { port, server async throws in
            // Metrics registered through swift-metrics, as modules do, must carry help text too.
            let factory = server.metrics.makeFactory()
            factory.makeCounter(label: "pharos_test_events_total", dimensions: [("kind", "a")]).increment(by: 2)
            factory.makeTimer(label: "pharos_test_duration_seconds", dimensions: []).recordNanoseconds(5_000_000)
            factory.makeRecorder(label: "pharos_test_size_bytes", dimensions: [], aggregate: true).record(3.0)
            factory.makeMeter(label: "pharos_test_queue_length", dimensions: []).set(4.0)
            let body = try await TestHTTPClient(port: port).get("/metrics").body
            #expect(body.contains("# HELP pharos_test_events_total Pharos metric pharos_test_events_total.\n"))
            #expect(body.contains("pharos_test_events_total{kind=\"a\"} 2"))
            #expect(body.contains("pharos_test_duration_seconds_bucket{le=\"0.005\"} 1"))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = ["check", "metrics"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(body.utf8))
            try input.fileHandleForWriting.close()
            let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool check metrics: \(report)\n--- body ---\n\(body)")
        }
    }
}
