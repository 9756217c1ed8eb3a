import Alerting
import Foundation
import PharosConfig
import PharosCore

/// `pharos check alertmanager FILE…` (as `amtool check-config`) and
/// `pharos alertmanager routes test` (as `amtool config routes test`).
///
/// check output per file, all on standard output as amtool prints it:
/// `Checking 'FILE'  SUCCESS` then `Found:`, ` - global config`, ` - route`,
/// ` - N inhibit rules`, ` - N receivers`, ` - N templates` (and `  SUCCESS` for the template
/// globs when there are templates); or `Checking 'FILE'  FAILED: <file:line:column: key: what>`.
/// A blank line ends each file. On failure, standard error ends with
/// `pharos: error: failed to validate N file(s)` and the exit code is 1.
package enum AlertmanagerChecker {
    package static func check(files: [String], options: AlertmanagerLoadOptions = .init()) -> CommandOutput {
        var output = CommandOutput()
        var failed = 0
        for file in files {
            do {
                let config = try AlertmanagerConfig.load(file: file, options: options)
                output.out("Checking '\(file)'  SUCCESS")
                output.out("Found:")
                output.out(" - global config")
                output.out(" - route")
                output.out(" - \(config.inhibitRules.count) inhibit rules")
                output.out(" - \(config.receivers.count) receivers")
                output.out(" - \(config.templates.count) templates")
                // Template bodies are parsed once the template engine exists (amtool parses them here).
                if !config.templates.isEmpty { output.out("  SUCCESS") }
            } catch {
                output.out("Checking '\(file)'  FAILED: \(error)")
                failed += 1
            }
            output.out("")
        }
        if failed > 0 {
            output.err("pharos: error: failed to validate \(failed) file(s)")
            output.exitCode = 1
        }
        return output
    }

    /// The receivers `labels` (`name=value` arguments) route to, comma-separated, as amtool prints them.
    package static func routesTest(configFile: String, labels: [String], verifyReceivers: String? = nil,
                                   options: AlertmanagerLoadOptions = .init()) -> CommandOutput {
        var output = CommandOutput()
        let config: AlertmanagerConfig
        do {
            config = try AlertmanagerConfig.load(file: configFile, options: options)
        } catch {
            output.err("pharos: error: \(error)")
            output.exitCode = 1
            return output
        }
        var pairs: [Label] = []
        for argument in labels {
            do {
                let matcher = try MatcherParser.parseMatcher(argument, syntax: options.matcherSyntax)
                guard matcher.type == .equal else {
                    output.err("pharos: error: Failed to parse labels: labels must be specified as key=value pairs")
                    output.exitCode = 1
                    return output
                }
                pairs.append(Label(name: matcher.name, value: matcher.value))
            } catch {
                output.err("pharos: error: Failed to parse labels: \(error)")
                output.exitCode = 1
                return output
            }
        }
        let receivers = Route(config.route).matchingRoutes(Labels(pairs)).map(\.options.receiver).joined(separator: ",")
        output.out(receivers)
        if let verifyReceivers, !verifyReceivers.isEmpty, verifyReceivers != receivers {
            output.out("WARNING: Expected receivers did not match resolved receivers.")
            output.exitCode = 1
        }
        return output
    }
}
