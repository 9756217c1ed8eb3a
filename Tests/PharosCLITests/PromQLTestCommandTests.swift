import Foundation
import PharosCLI
import PharosCore
import PharosTestSupport
import Testing

@Suite(.timeLimit(.minutes(5))) struct PromQLTestCommandTests {
    /// Line 7 fails (wrong value); line 14 checks that `clear` emptied the TSDB.
    static let script = """
        load 1m
          metric{a="1"} 1 2 3

        eval instant at 2m metric
          metric{a="1"} 3

        eval instant at 2m metric
          metric{a="1"} 4

        clear
        load 1m
          other 5 6

        eval instant at 2m metric

        eval range from 0 to 1m step 1m other
          other 5 6

        """

    func withScript<R>(_ text: String, _ body: (String) async throws -> R) async throws -> R {
        try await withTemporaryDirectory { dir in
            let path = dir + "/tiny.test"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try await body(path)
        }
    }

    @Test func countsPassesAndFailuresPerFile() async throws {
        try await withScript(Self.script) { path in
            let output = await PromQLTestCommand.run(files: [path])
            #expect(output.standardOutput == """
                \(path): 3/4 (float 3/4, native-histogram 0/0, experimental 0/0)
                3 passed, 1 failed

                """)
            #expect(output.exitCode == 1)
        }
    }

    @Test func verboseListsFailuresWithLineNumbers() async throws {
        try await withScript(Self.script) { path in
            let output = await PromQLTestCommand.run(files: [path], verbose: true)
            let lines = output.standardOutput.split(separator: "\n").map(String.init)
            try #require(lines.count == 3)
            #expect(lines[1].hasPrefix("  \(path):7 [float]: "))
            #expect(lines[2] == "3 passed, 1 failed")
        }
    }

    @Test func passingScriptExitsZeroAndStrictOnlyMattersOnFailures() async throws {
        let passing = Self.script.replacingOccurrences(of: "metric{a=\"1\"} 4", with: "metric{a=\"1\"} 3")
        try await withScript(passing) { path in
            let output = await PromQLTestCommand.run(files: [path], strict: true)
            #expect(output.exitCode == 0)
            #expect(output.standardOutput.hasSuffix("4 passed, 0 failed\n"))
        }
    }

    @Test(arguments: [
        "load\n  metric 1 2\n",                       // truncated: no interval
        "load 1m\n  metric{a=\"1\" 1 2\n",            // corrupted series line
        "eval instant at\n  1\n",                      // truncated eval
    ])
    func brokenScriptIsAScriptErrorAndFails(text: String) async throws {
        try await withScript(text) { path in
            let output = await PromQLTestCommand.run(files: [path])
            #expect(output.exitCode == 1)
            #expect(output.standardOutput.contains("\(path): 0/0 "))
            #expect(output.standardOutput.contains(" script error: "))
        }
    }

    @Test func unreadableFileIsAScriptError() async {
        let output = await PromQLTestCommand.run(files: ["/nonexistent/x.test"])
        #expect(output.exitCode == 1)
        #expect(output.standardOutput.hasPrefix("/nonexistent/x.test: 0/0 "))
    }

    /// As Prometheus' test storage: loads may go 12h back, and a repeated series line replaces
    /// the earlier one (so `dup` has only the sample 5 at 0).
    @Test func loadsBehaveAsPrometheusTestStorage() async throws {
        let script = """
            load 1h
              late 1 2 3 4 5 6 7 8

            load 1m
              early 1 2
              dup{a="x"} 1 2 3
              other 7
              dup{a="x"} 5

            eval instant at 0 early
              early 1

            eval instant at 2m dup
              dup{a="x"} 5

            eval instant at 0 dup
              dup{a="x"} 5

            """
        try await withScript(script) { path in
            let output = await PromQLTestCommand.run(files: [path], verbose: true)
            #expect(output.standardOutput == "\(path): 3/3 (float 3/3, native-histogram 0/0, experimental 0/0)\n3 passed, 0 failed\n")
        }
    }

    @Test func scratchTSDBsAreFreshAndAnUnusableFolderFailsTheLoad() async throws {
        let storages = ScratchTSDBs()
        let first = storages.make()
        let appender = first.makeAppender()
        try appender.append(Labels(["__name__": "x"]), at: 0, value: 1)
        try await appender.commit()
        let second = storages.make()
        let names = try await second.withQuerier(from: .min, through: .max) { try await $0.labelNames(matching: []) }
        #expect(names.isEmpty)
        storages.close()
        #expect(!FileManager.default.fileExists(atPath: storages.root))

        let broken = ScratchTSDBs(root: "/proc/pharos-cannot-create")
        defer { broken.close() }
        let refusing = broken.make().makeAppender()
        let error = #expect(throws: AppendError.self) { try refusing.append(Labels(["__name__": "x"]), at: 0, value: 1) }
        #expect(error?.description.contains("cannot open a TSDB in /proc/pharos-cannot-create/") == true)
    }

    @Test func literalsConformanceScriptPasses() async {
        let path = Conformance.path("promql/literals.test")
        let output = await PromQLTestCommand.run(files: [path], verbose: true)
        #expect(output.standardOutput == """
            \(path): 25/25 (float 25/25, native-histogram 0/0, experimental 0/0)
            25 passed, 0 failed

            """)
        #expect(output.exitCode == 0)
    }
}
