import Alerting
import ArgumentParser
import Foundation
import PharosCLI

/// `pharos check alertmanager FILE…`, as `amtool check-config`.
struct CheckAlertmanager: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alertmanager", abstract: "Validate alertmanager config files.")

    @Argument(help: "The alertmanager.yml files to check.")
    var files: [String]

    @Option(name: .customLong("matchers"), help: "Matcher syntax: fallback (default, as Alertmanager 0.27), classic or utf8.")
    var matchers: MatcherSyntaxOption = .fallback

    func run() async throws {
        try emit(AlertmanagerChecker.check(files: files, options: AlertmanagerLoadOptions(matcherSyntax: matchers.syntax)))
    }
}

/// `pharos alertmanager …`: amtool's offline commands.
struct AlertmanagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alertmanager", abstract: "Offline tools for alertmanager.yml, as amtool.", subcommands: [Routes.self])

    struct Routes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "routes", abstract: "Inspect the routing tree.", subcommands: [Test.self])
    }

    /// `pharos alertmanager routes test --config.file F name=value…`, as `amtool config routes test`.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Print the receivers an alert with the given labels is routed to.")

        @Option(name: .customLong("config.file"), help: "The alertmanager.yml to route with.")
        var configFile: String

        @Option(name: .customLong("verify.receivers"), help: "Fail unless the labels route to exactly these receivers (comma-separated).")
        var verifyReceivers: String?

        @Option(name: .customLong("matchers"), help: "Matcher syntax: fallback (default), classic or utf8.")
        var matchers: MatcherSyntaxOption = .fallback

        @Argument(help: "Labels of the alert, as name=value.")
        var labels: [String] = []

        func run() async throws {
            try emit(AlertmanagerChecker.routesTest(
                configFile: configFile, labels: labels, verifyReceivers: verifyReceivers,
                options: AlertmanagerLoadOptions(matcherSyntax: matchers.syntax)))
        }
    }
}

enum MatcherSyntaxOption: String, ExpressibleByArgument {
    case fallback, classic, utf8
    var syntax: MatcherSyntax {
        switch self {
        case .fallback: .fallback
        case .classic: .classic
        case .utf8: .utf8
        }
    }
}
