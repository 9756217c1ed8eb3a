import Foundation
import PharosCLI
import PharosTestSupport
import Testing

/// The same inputs through the real promtool installed on the machine and through Pharos.
@Suite(.timeLimit(.minutes(5))) struct PromtoolInteropTests {
    static let promtool = Peers.promtool

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

/// Every prometheus.yml fixture of the config tests goes through `promtool check config` and
/// through Pharos' checker: both accept or both refuse it.
@Suite(.timeLimit(.minutes(5))) struct PromtoolConfigVerdictTests {
    /// Where Pharos knowingly differs: its own sections (a superset of prometheus.yml), a
    /// scrape scheme other than http/https, which Prometheus 2.42 accepts and never scrapes, and
    /// Kubernetes SD, which Debian's Prometheus 2.42 is built without (its promtool refuses
    /// every `kubernetes_sd_configs`, so only the good fixture disagrees).
    static let divergent: Set<String> = ["pharos-sections-good.yml", "scheme-bad.yml", "kubernetes-sd-good.yml"]

    static var fixtures: String {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.appendingPathComponent("PharosConfigTests/Fixtures").path
    }

    @Test func sameVerdictAsPromtoolOnEveryFixture() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasSuffix(".yml") }.sorted()
        #expect(names.count > 30)
        var disagreements: [String] = []
        for name in names where !Self.divergent.contains(name) {
            let reference = try PromtoolInteropTests.promtool(["check", "config", name], in: Self.fixtures)
            let ours = ConfigChecker.check(files: [Self.fixtures + "/" + name])
            if (reference.status == 0) != (ours.exitCode == 0) {
                disagreements.append("\(name): promtool \(reference.status), pharos \(ours.exitCode)\n\(ours.standardOutput)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }
}
