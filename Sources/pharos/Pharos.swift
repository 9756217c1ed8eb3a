import ArgumentParser
import Logging
import PharosCore
import PharosServer

/// `pharos`: with no subcommand, `pharos serve`.
@main
struct Pharos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pharos",
        abstract: "An all-in-one observability server speaking Prometheus' protocols.",
        version: PharosServer.version,
        subcommands: [Serve.self, CheckCommand.self, TestCommand.self, TSDBCommand.self, PromQLCommand.self, AlertmanagerCommand.self, SLOCommand.self],
        defaultSubcommand: Serve.self
    )
}
