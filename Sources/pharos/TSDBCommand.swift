import ArgumentParser
import Foundation
import PharosCLI

/// `pharos tsdb …`: offline TSDB inspection, as `promtool tsdb …`.
struct TSDBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb", abstract: "Run tsdb commands.", subcommands: [TSDBAnalyze.self])
}

/// `pharos tsdb analyze [PATH] [--block ID] [--limit N]`
struct TSDBAnalyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Analyze churn, label pair cardinality (read-only).")

    @Argument(help: "Database path.")
    var path = "./data"

    @Option(name: .customLong("block"), help: "Block to analyze (default is the last block; the head when there is none).")
    var block: String?

    @Option(name: .customLong("limit"), help: "How many items to show in each list.")
    var limit = 20

    @Option(name: .customLong("match"), help: "Series selector to analyze, e.g. '{job=\"api\"}'. Only 1 set of matchers is supported.")
    var match: String?

    @Flag(name: .customLong("extended"), help: "Run extended analysis (chunk fill histograms).")
    var extended = false

    func run() async throws {
        do {
            let analysis = try TSDBAnalyzer.analyze(path: path, blockID: block, limit: limit, match: match, extended: extended)
            try emit(CommandOutput(standardOutput: analysis.report))
        } catch let error as CLIError {
            try emit(CommandOutput(standardError: "\(error)\n", exitCode: 1))
        }
    }
}
