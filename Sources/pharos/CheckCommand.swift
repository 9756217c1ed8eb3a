import ArgumentParser
import Foundation
import PharosCLI

/// `pharos check …`: offline validation, as `promtool check …`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the resource for validity.", subcommands: [CheckConfig.self, CheckAlertmanager.self])
}

/// `pharos check config FILE…`
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check if the config files are valid or not.")

    @Argument(help: "The config files to check.")
    var files: [String]

    @Flag(name: .customLong("syntax-only"), help: "Only check the config file syntax, ignoring file and content validation referenced in the config.")
    var syntaxOnly = false

    func run() async throws {
        try emit(ConfigChecker.check(files: files, syntaxOnly: syntaxOnly))
    }
}

/// Writes a subcommand's output and ends with its exit code.
func emit(_ output: CommandOutput) throws {
    for (stream, text) in output.chunks {
        (stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
    }
    if output.exitCode != 0 { throw ExitCode(output.exitCode) }
}
