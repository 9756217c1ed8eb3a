import Foundation
import PharosTestSupport
import Testing

/// Runs the built `pharos` executable as a user would: flags, logs, SIGTERM.
@Suite(.serialized) struct PharosBinaryTests {
    /// `pharos` sits beside the test bundle in the build folder.
    static func binary() throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("pharos").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        struct Missing: Error, CustomStringConvertible {
            var description: String { "the pharos executable is not built next to the tests: run `swift build --build-tests` first" }
        }
        throw Missing()
    }

    func launch(_ arguments: [String], logTo log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
        return process
    }

    /// Polls the log until `pattern` shows up (bounded: 30 s).
    func waitForLog(_ log: String, containing pattern: String) async throws -> String {
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains(pattern) { return text }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    }

    @Test func servesThenStopsGracefullyOnSIGTERM() async throws {
        try await withTemporaryDirectory { folder in
            let log = folder + "/pharos.log"
            let process = try launch(["--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=\(folder)/data",
                                      "--log.format=logfmt", "--log.level=info"], logTo: log)
            defer { if process.isRunning { process.terminate() } }
            let text = try await waitForLog(log, containing: "Server is ready")
            let address = text.split(separator: "\n").first { $0.contains("http.address=") }?
                .split(separator: " ").first { $0.hasPrefix("http.address=") }
            let port = address.flatMap { Int($0.split(separator: ":").last ?? "") }
            guard let port else {
                Issue.record("no listening address in the log:\n\(text)")
                return
            }
            let ready = try await TestHTTPClient(port: port).get("/-/ready")
            #expect(ready.status == 200)
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning, "pharos did not stop within 30 s of SIGTERM")
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            let final = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(final.contains("msg=\"See you next time!\""), "\(final)")
        }
    }

    @Test(arguments: [
        (["--web.listen-address=localhost"], #"--web.listen-address: cannot parse "localhost" as host:port: missing port"#),
        (["serve", "--log.format=xml"], #"--log.format: unknown format "xml" (use logfmt or json)"#),
        (["--storage.tsdb.retention.time=5x"], "--storage.tsdb.retention.time: invalid duration"),
        (["--config.file=/nonexistent/pharos.yml", "--web.listen-address=127.0.0.1:0"], "/nonexistent/pharos.yml: cannot read the config file"),
        (["check"], "Unexpected argument 'check'"),
    ])
    func rejectsBadInvocations(_ arguments: [String], _ message: String) async throws {
        try await withTemporaryDirectory { folder in
            let log = folder + "/pharos.log"
            let process = try launch(arguments + ["--storage.tsdb.path=\(folder)/data"], logTo: log)
            for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(text.contains(message), "\(text)")
        }
    }
}
