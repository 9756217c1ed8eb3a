import Foundation
import PharosCLI
import PharosTestSupport
import Testing

/// The same inputs through the real promtool installed on the machine and through Pharos.
@Suite struct PromtoolInteropTests {
    static let promtool = "/usr/bin/promtool"

    /// Runs promtool in `directory`; returns its standard output and exit code.
    static func promtool(_ arguments: [String], in directory: String) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: output, as: UTF8.self), process.terminationStatus)
    }

    static func write(_ files: [String: String], into directory: String) throws {
        for (name, text) in files {
            let path = directory + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test func checkConfigPrintsWhatPromtoolPrints() throws {
        try withTemporaryDirectoryBlocking { dir in
            var files = ConfigCheckerTests.goodFiles
            files["prometheus.yml"] = ConfigCheckerTests.goodConfig.replacingOccurrences(of: "rule_files:\n  - rules.yml\n", with: "")
            try Self.write(files, into: dir)
            let file = dir + "/prometheus.yml"
            let reference = try Self.promtool(["check", "config", file], in: dir)
            let ours = ConfigChecker.check(files: [file])
            #expect(ours.standardOutput == reference.output)
            #expect(ours.exitCode == reference.status)

            try FileManager.default.removeItem(atPath: dir + "/token")
            let failing = try Self.promtool(["check", "config", file], in: dir)
            let oursFailing = ConfigChecker.check(files: [file])
            #expect(oursFailing.standardOutput == failing.output)
            #expect(oursFailing.exitCode == failing.status)
        }
    }

    /// Each section's title and its lines in sorted order (promtool breaks ties randomly);
    /// promtool 2.x says `Series:` where 3.x says `Total Series:`.
    static func normalized(_ report: String) -> [[String]] {
        report.replacingOccurrences(of: "\nSeries: ", with: "\nTotal Series: ")
            .components(separatedBy: "\n\n").map { section in
                let lines = section.split(separator: "\n").map(String.init)
                return Array(lines.prefix(1)) + lines.dropFirst().sorted()
            }
    }

    @Test func tsdbAnalyzeMatchesPromtoolOnAPrometheusBlock() throws {
        try withTemporaryDirectoryBlocking { dir in
            var lines: [String] = []
            for (metric, count) in [("up", 4), ("errors_total", 2), ("http_requests_total", 6)] {
                lines.append("# TYPE \(metric) gauge")
                for index in 0..<count {
                    for t in stride(from: 0, to: 7200, by: 60) where !(metric == "errors_total" && t > 3600) && !(index == 1 && t < 1800) {
                        lines.append("\(metric){job=\"\(index % 2 == 1 ? "api" : "db")\",instance=\"i\(index)\"} \(t) \(1_000_000 + t)")
                    }
                }
            }
            try Self.write(["data.om": lines.joined(separator: "\n") + "\n# EOF\n"], into: dir)
            _ = try Self.promtool(["tsdb", "create-blocks-from", "openmetrics", "data.om", "data"], in: dir)
            let reference = try Self.promtool(["tsdb", "analyze", "data"], in: dir)
            try #require(reference.status == 0)
            let ours = try TSDBAnalyzer.analyze(path: dir + "/data")
            #expect(Self.normalized(ours.report) == Self.normalized(reference.output))
        }
    }
}
