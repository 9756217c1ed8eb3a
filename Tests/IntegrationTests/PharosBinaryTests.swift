import Foundation
import PharosTestSupport
import Testing

/// Runs the built `pharos` executable as a user would: flags, logs, SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PharosBinaryTests {
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

    /// The port in the `http.address` field of a logfmt or JSON log line.
    static func listeningPort(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("http.address") }),
              let start = line.range(of: "127.0.0.1:", range: line.range(of: "http.address")!.upperBound..<line.endIndex)
        else { return nil }
        return Int(line[start.upperBound...].prefix { $0.isNumber })
    }

    @Test(arguments: ["logfmt", "json"])
    func servesThenStopsGracefullyOnSIGTERM(_ format: String) async throws {
        try await withTemporaryDirectory { folder in
            let log = folder + "/pharos.log"
            let process = try launch(["--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=\(folder)/data",
                                      "--log.format=\(format)", "--log.level=info", "--web.enable-remote-write-receiver"], logTo: log)
            defer { if process.isRunning { process.terminate() } }
            let text = try await waitForLog(log, containing: "http.address")
            guard let port = Self.listeningPort(in: text) else {
                Issue.record("no listening address in the log:\n\(text)")
                return
            }
            // Readiness may follow listening (storage start-up flips it): poll, bounded.
            var ready = try await TestHTTPClient(port: port).get("/-/ready")
            for _ in 0..<600 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(50))
                ready = try await TestHTTPClient(port: port).get("/-/ready")
            }
            #expect(ready.status == 200)
            // The wired engine, parser and storage answer through the API.
            let client = TestHTTPClient(port: port)
            let scalar = try await client.postForm("/api/v1/query", "query=1%2B1&time=100")
            #expect(scalar.body == #"{"status":"success","data":{"resultType":"scalar","result":[100,"2"]}}"#)
            let bad = try await client.get("/api/v1/query?query=sum(")
            #expect(bad.status == 400)
            #expect(bad.body.hasPrefix(#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": "#))
            #expect(try await client.get("/api/v1/series?match[]=up").body == #"{"status":"success","data":[]}"#)
            #expect(try await client.get("/api/v1/series?match[]=up%7B").status == 400)
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning, "pharos did not stop within 30 s of SIGTERM")
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            let final = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let lines = final.split(separator: "\n")
            #expect(lines.last?.contains("See you next time!") == true, "\(final)")
            if format == "json" {
                for line in lines {
                    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object?["msg"] is String, "not a JSON log line: \(line)")
                }
            } else {
                #expect(lines.allSatisfy { $0.hasPrefix("time=") && $0.contains(" msg=") }, "\(final)")
            }
        }
    }

    @Test(arguments: [
        (["--web.listen-address=localhost"], #"--web.listen-address: cannot parse "localhost" as host:port: missing port"#),
        (["serve", "--log.format=xml"], #"--log.format: unknown format "xml" (use logfmt or json)"#),
        (["--storage.tsdb.retention.time=5x"], "--storage.tsdb.retention.time: invalid duration"),
        (["--config.file=/nonexistent/pharos.yml", "--web.listen-address=127.0.0.1:0"], "/nonexistent/pharos.yml: cannot read the config file"),
        (["--query.timeout=0s"], "--query.timeout: must be positive, not 0s"),
        (["--query.lookback-delta=soon"], "--query.lookback-delta: invalid duration"),
        (["--query.max-samples=-1"], "--query.max-samples: must be positive, not -1"),
        (["bogus"], "Unexpected argument 'bogus'"),
        (["check"], "Usage: pharos check <subcommand>"),
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
