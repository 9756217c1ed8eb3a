import Alerting
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// `amtool config routes test --config.file F name=value…` (Alertmanager 0.25) against
/// `Route.matchingRoutes` for generated label sets: same receivers in the same order.
@Suite(.serialized) struct RoutingDifferentialTests {
    /// The routing fixtures plus the example config, with keys amtool 0.25 does not know removed.
    static func routingFiles(in directory: String) throws -> [String] {
        let root = Conformance.path("alertmanager")
        var files = ["routing/conf.routing.yml", "routing/conf.routing-reverted.yml", "config/conf.good.yml"].map { root + "/" + $0 }
        let simple = try String(contentsOfFile: root + "/routing/simple.yml", encoding: .utf8)
        let trimmed = simple.components(separatedBy: "\ntracing:").first! + "\n"
        let copy = directory + "/simple.yml"
        try trimmed.write(toFile: copy, atomically: true, encoding: .utf8)
        files.append(copy)
        for (name, text) in [("kube.yml", AmtoolDifferentialTests.kubePrometheus), ("mixed.yml", AmtoolDifferentialTests.mixed)] {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            files.append(directory + "/" + name)
        }
        return files
    }

    /// Label values worth trying: every literal in the tree's matchers, pieces of simple
    /// alternations, and a value no matcher names.
    static func candidates(_ route: Route) -> [String: [String]] {
        var values: [String: Set<String>] = [:]
        route.walk { node in
            for matcher in node.matchers {
                var set = values[matcher.name, default: ["zzz"]]
                set.insert(matcher.value)
                let stripped = matcher.value.trimmingCharacters(in: CharacterSet(charactersIn: "^$()"))
                for piece in stripped.split(separator: "|") { set.insert(String(piece)) }
                if stripped.hasPrefix("[12]") || stripped == "[12]" { set.formUnion(["1", "2", "3"]) }
                values[matcher.name] = set
            }
        }
        return values.mapValues { $0.sorted() }
    }

    @Test func receiversMatchAmtool() throws {
        let directory = try TemporaryDirectory(prefix: "pharos-routes")
        defer { directory.remove() }
        var rng = SplitMix64(seed: 13)
        var compared = 0
        for file in try Self.routingFiles(in: directory.path) {
            let config = try AlertmanagerConfig.load(file: file, options: .init(matcherSyntax: .classic))
            let route = Route(config.route)
            let values = Self.candidates(route)
            let names = values.keys.sorted()
            var sets: [[String: String]] = [[:]]
            for name in names { for value in values[name]! { sets.append([name: value]) } }
            for _ in 0..<25 {
                var labels: [String: String] = [:]
                for name in names where rng.next(in: 0...2) > 0 {
                    let options = values[name]!
                    labels[name] = options[rng.next(in: 0...(options.count - 1))]
                }
                sets.append(labels)
            }
            for labels in sets {
                let arguments = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                let (status, output) = try Peers.run(Peers.amtool, ["config", "routes", "test", "--config.file", file] + arguments)
                #expect(status == 0, "amtool failed: \(output)")
                // amtool warns on standard error that --config.file overrides --alertmanager.url.
                let theirs = output.split(separator: "\n").filter { !$0.hasPrefix("Warning:") }.joined(separator: "\n")
                let ours = route.matchingRoutes(Labels(labels)).map(\.options.receiver).joined(separator: ",")
                #expect(theirs == ours, "\(file) \(arguments): amtool \(theirs), pharos \(ours)")
                compared += 1
            }
        }
        #expect(compared > 60)
    }
}
