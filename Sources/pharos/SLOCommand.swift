import ArgumentParser
import PharosCLI

/// `pharos slo …`: tools for the `slos:` section.
struct SLOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slo", abstract: "Tools for the SLOs of a Pharos config.", subcommands: [Rules.self])

    /// `pharos slo rules --config.file F`
    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules", abstract: "Print the recording and alerting rules generated for the config's slos: section.")

        @Option(name: .customLong("config.file"), help: "The Pharos config file.")
        var configFile: String

        func run() async throws {
            try emit(SLORulesCommand.run(configFile: configFile))
        }
    }
}
