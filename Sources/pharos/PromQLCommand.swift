import ArgumentParser
import PharosCLI

/// `pharos promql …`: PromQL tooling.
struct PromQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promql", abstract: "PromQL tooling.", subcommands: [PromQLTest.self])
}

/// `pharos promql test FILE…`
struct PromQLTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run promqltest scripts against the engine on a scratch TSDB.")

    @Argument(help: "The promqltest script files.")
    var files: [String]

    @Flag(name: .long, help: "Print each failing eval with its line number and reason.")
    var verbose = false

    @Flag(name: .long, help: "Exit with 1 when any eval fails, not only float ones.")
    var strict = false

    func run() async throws {
        try emit(await PromQLTestCommand.run(files: files, verbose: verbose, strict: strict))
    }
}
