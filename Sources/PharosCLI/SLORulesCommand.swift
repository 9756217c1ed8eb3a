import PharosConfig
import Rules
import SLO

/// `pharos slo rules --config.file F`: the rule file Pharos generates for the config's `slos:`
/// section, on standard output, for `promtool check rules` or a Prometheus beside Pharos.
package enum SLORulesCommand {
    package static func run(configFile: String) -> CommandOutput {
        var output = CommandOutput()
        do {
            let config = try loadConfig(path: configFile)
            let text = SLORules.ruleFile(for: try SLOSpec.all(in: config))
            // What the rule manager would refuse is refused here too.
            _ = try RuleFileParser().parse(text, file: SLORules.file)
            output = CommandOutput(standardOutput: text)
        } catch {
            output.err("error: \(error)")
            output.exitCode = 1
        }
        return output
    }
}
