import Alerting
import Foundation
import PharosCLI
import PharosTestSupport
import Testing

/// `pharos check alertmanager` prints what `amtool check-config` (0.25) prints for the same files.
@Suite(.serialized) struct AmtoolCheckConfigTests {
    static let good = ["config/conf.good.yml", "config/conf.empty-fields.yml", "routing/conf.routing.yml"]
        .map { Conformance.path("alertmanager/" + $0) }

    @Test func successOutputIsAmtools() throws {
        for file in Self.good {
            let (status, theirs) = try Peers.run(Peers.amtool, ["check-config", file])
            let ours = AlertmanagerChecker.check(files: [file], options: .init(matcherSyntax: .classic))
            #expect(status == 0 && ours.exitCode == 0)
            #expect(ours.standardOutput == theirs, "\(file)")
            #expect(ours.standardOutput.hasPrefix("Checking '\(file)'  SUCCESS\nFound:\n - global config\n - route\n"))
        }
    }

    @Test func failureOutput() throws {
        let file = Conformance.path("alertmanager/config/conf.nil-match_re-route.yml")
        let (status, theirs) = try Peers.run(Peers.amtool, ["check-config", file])
        let ours = AlertmanagerChecker.check(files: [file, Self.good[0]])
        #expect(status != 0 && ours.exitCode == 1)
        let firstLine = ours.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("Checking '\(file)'  FAILED: \(file):5:"))
        #expect(firstLine.hasSuffix("invalid regexp value for \"invalid_label\""))
        #expect(theirs.contains("FAILED: invalid regexp value for \"invalid_label\""))
        #expect(ours.standardError == "pharos: error: failed to validate 1 file(s)\n")
    }

    @Test func routesTestPrintsReceivers() throws {
        let file = Conformance.path("alertmanager/routing/conf.routing.yml")
        for labels in [["test=1"], ["test=2"], ["test=3"], []] {
            let (_, theirs) = try Peers.run(Peers.amtool, ["config", "routes", "test", "--config.file", file] + labels)
            let ours = AlertmanagerChecker.routesTest(configFile: file, labels: labels)
            // amtool warns on standard error that --config.file overrides --alertmanager.url.
            let stdout = theirs.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Warning:") }
            #expect(ours.standardOutput == stdout.joined(separator: "\n"), "\(labels)")
        }
        let verified = AlertmanagerChecker.routesTest(configFile: file, labels: ["test=2"], verifyReceivers: "test1")
        #expect(verified.exitCode == 1 && verified.standardOutput.contains("WARNING: Expected receivers did not match"))
        let bad = AlertmanagerChecker.routesTest(configFile: file, labels: ["test!=2"])
        #expect(bad.exitCode == 1 && bad.standardError.contains("labels must be specified as key=value pairs"))
    }
}

@Suite struct CheckConfigAlertmanagerSectionTests {
    @Test func checkConfigValidatesTheAlertmanagerSection() throws {
        let directory = try TemporaryDirectory(prefix: "pharos-check-am")
        defer { directory.remove() }
        let am = directory.path + "/am.yml"
        try "route: {receiver: x}\nreceivers: [{name: y}]\n".write(toFile: am, atomically: true, encoding: .utf8)
        let file = directory.path + "/pharos.yml"
        try "alertmanager: {config_file: am.yml}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let output = ConfigChecker.check(files: [file])
        #expect(output.exitCode == 1)
        #expect(output.standardError.contains(#"am.yml:1:19: route.receiver: undefined receiver "x" used in route"#))
        try "alertmanager:\n  route: {receiver: x}\n  receivers: [{name: x}]\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ConfigChecker.check(files: [file]).exitCode == 0)
    }
}

/// The built `pharos` executable against amtool: the same standard output and exit status.
@Suite(.serialized) struct PharosAlertmanagerCommandTests {
    @Test func checkAndRoutesTestThroughTheExecutable() throws {
        let pharos = try Peers.pharos()
        let files = ["config/conf.good.yml", "config/conf.nil-target_match_re-inhibition.yml", "routing/conf.routing.yml"]
            .map { Conformance.path("alertmanager/" + $0) }
        for file in files {
            let (theirStatus, theirs) = try Peers.run(Peers.amtool, ["check-config", file])
            let (ourStatus, ours) = try Peers.run(pharos, ["check", "alertmanager", "--matchers", "classic", file])
            #expect((theirStatus == 0) == (ourStatus == 0), "\(file)")
            let theirFirst = theirs.split(separator: "\n").first ?? "", ourFirst = ours.split(separator: "\n").first ?? ""
            #expect(ourFirst.hasPrefix(theirFirst.components(separatedBy: "FAILED: ").first ?? ""), "\(file): \(ours)")
            if theirStatus == 0 { #expect(ours == theirs) }
        }
        let routing = Conformance.path("alertmanager/routing/conf.routing.yml")
        let (_, receivers) = try Peers.run(pharos, ["alertmanager", "routes", "test", "--config.file", routing, "test=2"])
        #expect(receivers == "test1,test2\n")
    }
}
