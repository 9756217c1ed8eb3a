import Alerting
import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// Generated routing trees and matcher strings through amtool 0.25 and Pharos.
@Suite(.serialized) struct GeneratedDifferentialTests {
    static let names = ["a", "b", "c"]
    static let values = ["1", "2", "x", "xy"]

    static func amtoolReceivers(_ file: String, _ labels: [String]) throws -> String {
        let (_, output) = try Peers.run(Peers.amtool, ["config", "routes", "test", "--config.file", file] + labels)
        return output.split(separator: "\n").filter { !$0.hasPrefix("Warning:") }.joined(separator: "\n")
    }

    static func randomMatcher(_ rng: inout SplitMix64) -> String {
        let name = names[rng.next(in: 0...2)]
        let value = values[rng.next(in: 0...3)]
        switch rng.next(in: 0...4) {
        case 0: return "\(name)=\"\(value)\""
        case 1: return "\(name)!=\(value)"
        case 2: return "\(name)=~\"\(value)|1\""
        case 3: return "\(name)!~\"x.*\""
        default: return "\(name)=~\".*\""
        }
    }

    /// A random tree, depth ≤ 3, as YAML; receivers r0…rN.
    static func randomTree(_ rng: inout SplitMix64, depth: Int, indent: String, receivers: inout Int) -> String {
        var out = ""
        let children = depth == 0 ? 0 : rng.next(in: 0...3)
        guard children > 0 else { return out }
        out += "\(indent)routes:\n"
        for _ in 0..<children {
            let matchers = (0..<rng.next(in: 0...2)).map { _ in "'\(randomMatcher(&rng))'" }
            out += "\(indent)  - matchers: [\(matchers.joined(separator: ", "))]\n"
            if rng.next(in: 0...3) > 0 {
                out += "\(indent)    receiver: r\(receivers)\n"
                receivers += 1
            }
            if rng.next(in: 0...2) == 0 { out += "\(indent)    continue: true\n" }
            out += randomTree(&rng, depth: depth - 1, indent: indent + "    ", receivers: &receivers)
        }
        return out
    }

    @Test func randomTreesRouteLikeAmtool() throws {
        let directory = try TemporaryDirectory(prefix: "pharos-trees")
        defer { directory.remove() }
        var rng = SplitMix64(seed: 2025)
        for tree in 0..<8 {
            var receivers = 0
            let routes = Self.randomTree(&rng, depth: 3, indent: "  ", receivers: &receivers)
            let yaml = "route:\n  receiver: root\n" + routes + "receivers:\n  - name: root\n"
                + (0..<receivers).map { "  - name: r\($0)\n" }.joined()
            let file = directory.path + "/tree\(tree).yml"
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            let route = Route(try AlertmanagerConfig.load(file: file, options: .init(matcherSyntax: .classic)).route)
            for _ in 0..<12 {
                var labels: [String: String] = [:]
                for name in Self.names where rng.next(in: 0...3) > 0 { labels[name] = Self.values[rng.next(in: 0...3)] }
                let arguments = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                let ours = route.matchingRoutes(Labels(labels)).map(\.options.receiver).joined(separator: ",")
                let theirs = try Self.amtoolReceivers(file, arguments)
                #expect(ours == theirs, "tree \(tree) \(arguments):\n\(yaml)")
            }
        }
    }

    /// Random strings over the characters that matter to the classic parser: the verdict of
    /// `check-config` on a route with those matchers, and where both accept, routing of an
    /// alert that carries exactly the parsed name and value.
    @Test func randomMatcherStringsParseLikeAmtool() throws {
        let directory = try TemporaryDirectory(prefix: "pharos-matchers")
        defer { directory.remove() }
        let alphabet = ["a", "b", "=", "!", "~", "\"", "\\", ",", " ", "{", "}", ".", "*", "n", "é", "(", "|"]
        var rng = SplitMix64(seed: 77)
        var agreedAccepted = 0
        for index in 0..<120 {
            var text = ["a", "b="][rng.next(in: 0...1)]
            for _ in 0..<rng.next(in: 1...8) { text += alphabet[rng.next(in: 0...(alphabet.count - 1))] }
            // A JSON string is a YAML double-quoted scalar.
            let literal = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
            let yaml = "route:\n  receiver: root\n  routes:\n    - matchers: [\(literal)]\n      receiver: hit\nreceivers: [{name: root}, {name: hit}]\n"
            let file = directory.path + "/m\(index).yml"
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            let (status, _) = try Peers.run(Peers.amtool, ["check-config", file])
            let ours: AlertmanagerConfig?
            do { ours = try AlertmanagerConfig.load(file: file, options: .init(matcherSyntax: .classic)) } catch { ours = nil }
            #expect((status == 0) == (ours != nil), "\(text): amtool status \(status), pharos \(ours == nil ? "refused" : "accepted")")
            guard status == 0, let ours, let matcher = ours.route.routes.first?.matchers.first else { continue }
            guard ConfigCursorNames.isLegacy(matcher.name) else { continue }
            let argument = matcher.name + "=" + "\"" + matcher.alertmanagerDescription
                .dropFirst(matcher.name.count + matcher.type.rawValue.count + 1).dropLast() + "\""
            let route = Route(ours.route)
            let labels = Labels([Label(name: matcher.name, value: matcher.value)])
            let mine = route.matchingRoutes(labels).map(\.options.receiver).joined(separator: ",")
            #expect(try Self.amtoolReceivers(file, [argument]) == mine, "\(text) → \(matcher.alertmanagerDescription)")
            agreedAccepted += 1
        }
        #expect(agreedAccepted > 10)
    }
}

enum ConfigCursorNames {
    static func isLegacy(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }
}
