import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Discovery
import MetricsTestKit
import Testing

@Suite(.timeLimit(.minutes(2))) struct FileDiscoveryTests {
    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func readsGlobsAndTracksChanges() async throws {
        try await withTemporaryDirectory { dir in
            try Self.write("- targets: ['a:1']\n  labels: {env: prod}\n", to: "\(dir)/one.yml")
            try Self.write(#"[{"targets": ["b:2", "c:3"]}]"#, to: "\(dir)/two.json")
            var discovery = FileDiscovery(config: FileSDConfig(files: ["\(dir)/*.yml", "\(dir)/*.json"]))
            let changed1 = discovery.refresh()
            #expect(changed1)
            #expect(discovery.groups.flatMap(\.addresses) == ["a:1", "b:2", "c:3"])
            #expect(discovery.groups[0].labels == Labels(["env": "prod", "__meta_filepath": "\(dir)/one.yml"]))
            #expect(discovery.groups[1].labels["__meta_filepath"] == "\(dir)/two.json")

            // Unchanged files are not re-read.
            let changed2 = discovery.refresh()
            #expect(!changed2)

            // A bad file keeps its previous groups and reports a positioned error.
            try Self.write("- targets: ['a:1'\n", to: "\(dir)/one.yml")
            let changed3 = discovery.refresh()
            #expect(!changed3)
            #expect(discovery.groups.flatMap(\.addresses) == ["a:1", "b:2", "c:3"])
            #expect(discovery.errors.count == 1)
            #expect(discovery.errors.first?.kind == .parse)
            #expect(discovery.errors.first?.description.contains("one.yml:") == true)

            // Fixed: the new content is used.
            try Self.write("- targets: ['z:9']\n# longer so the size changes\n", to: "\(dir)/one.yml")
            let changed4 = discovery.refresh()
            #expect(changed4)
            #expect(Set(discovery.groups.flatMap(\.addresses)) == ["z:9", "b:2", "c:3"])

            // A removed file drops its targets.
            try FileManager.default.removeItem(atPath: "\(dir)/two.json")
            let changed5 = discovery.refresh()
            #expect(changed5)
            #expect(discovery.groups.flatMap(\.addresses) == ["z:9"])
        }
    }

    @Test(arguments: ["- targets: [", "- targets: 'a:1'\n", "{\"targets\": [\"a:1\"]", "- labels: {a: [1]}\n", "\u{0}\u{1}"])
    func brokenFirstReadYieldsNoTargets(text: String) async throws {
        try await withTemporaryDirectory { dir in
            try Self.write(text, to: "\(dir)/bad.yml")
            var discovery = FileDiscovery(config: FileSDConfig(files: ["\(dir)/bad.yml"]))
            discovery.refresh()
            #expect(discovery.groups.isEmpty)
            #expect(discovery.errors.count == 1)
        }
    }

    /// The discoverer: first read at once, changes found at the next poll, a removed file's
    /// sources sent empty, a full re-read at refresh_interval.
    @Test func discovererPollsAndSendsRemovals() async throws {
        try await withTemporaryDirectory { dir in
            try Self.write("- targets: ['a:1']\n- targets: ['b:1']\n", to: "\(dir)/one.yml")
            let clock = ManualClock(nowMilliseconds: 0), metrics = TestMetrics()
            let discoverer = FileDiscoverer(config: FileSDConfig(files: ["\(dir)/*.yml"]),
                                            context: testContext(metrics, clock: clock))
            #expect(addresses(discoverer.initialGroups()) == ["a:1", "b:1"])
            #expect(discoverer.initialGroups().map(\.source) == ["\(dir)/one.yml:0", "\(dir)/one.yml:1"])
            let collected = Collected()
            try await whileRunning(discoverer, into: collected) {
                await clock.waitForSleepers(1)
                try Self.write("- targets: ['a:2']\n", to: "\(dir)/one.yml")
                clock.advance(toMilliseconds: 5_000)
                #expect(await poll { collected.count == 1 })
                #expect(collected.all[0].map(\.source) == ["\(dir)/one.yml:0", "\(dir)/one.yml:1"])
                #expect(collected.all[0][1].targets.isEmpty)
                #expect(addresses(collected.merged) == ["a:2"])

                // A broken file keeps its groups and counts a read error.
                await clock.waitForSleepers(1)
                try Self.write("- targets: ['a:3'\n", to: "\(dir)/one.yml")
                clock.advance(toMilliseconds: 10_000)
                #expect(await poll { metrics.counterValue("prometheus_sd_file_read_errors_total") == 1 })
                #expect(collected.count == 1)
            }
        }
    }
}
