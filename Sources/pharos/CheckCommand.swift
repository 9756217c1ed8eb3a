import ArgumentParser
import Foundation
import PharosCLI
import PharosCore
import Rules

/// `pharos check …`: offline validation, as `promtool check …`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check the resource for validity.", subcommands: [CheckConfig.self, CheckRules.self, CheckAlertmanager.self])
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

/// `pharos check rules FILE…`
struct CheckRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check if the rule files are valid or not.")

    @Argument(help: "The rule files to check.")
    var files: [String]

    @Option(help: "Linting checks to apply. Available options are: all, duplicate-rules, none. Use --lint=none to disable linting")
    var lint = "duplicate-rules"

    @Flag(name: .customLong("lint-fatal"), help: "Make lint errors exit with exit code 3.")
    var lintFatal = false

    @Flag(name: .customLong("ignore-unknown-fields"), help: "Ignore unknown fields in the rule groups read by the rule files.")
    var ignoreUnknownFields = false

    @Option(name: .customLong("validation-scheme"), help: "Label and metric name validation: utf8 (Prometheus 3) or legacy.")
    var validationScheme = "utf8"

    func run() async throws {
        var parser = RuleFileParser(validation: validationScheme == "legacy" ? .legacy : .utf8)
        parser.ignoreUnknownFields = ignoreUnknownFields
        try emit(RulesChecker.check(files: files, lint: RulesChecker.Lint(lint, fatal: lintFatal), parser: parser))
    }
}

/// `pharos test …`: unit tests, as `promtool test …`.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Unit testing.", subcommands: [TestRules.self])
}

/// `pharos test rules FILE…`
struct TestRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Unit tests for rules.")

    @Argument(help: "The unit test file.")
    var files: [String]

    @Option(help: "If set, will only run test groups whose names match the regular expression. Can be specified multiple times.")
    var run: [String] = []

    func run() async throws {
        try emit(await RulesUnitTester.run(files: files, run: run))
    }
}

/// Writes a subcommand's output and ends with its exit code.
func emit(_ output: CommandOutput) throws {
    for (stream, text) in output.chunks {
        (stream == .standardOutput ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
    }
    if output.exitCode != 0 { throw ExitCode(output.exitCode) }
}
