import Foundation
import PharosCore
import PharosTestSupport
import PromQL
import Rules
import Testing

/// Loading and reloading rule files: unchanged groups keep running, changed ones take over
/// state, invalid files keep the running set.
struct RuleManagerTests {
    let storage = MemoryStorage()

    func manager() -> RuleManager {
        RuleManager(options: RuleGroupOptions(querying: EngineQuerying(engine: Engine(), storage: storage), appendable: storage,
                                              queryable: storage, now: { 0 }))
    }

    func write(_ text: String, to path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }

    @Test func reloadKeepsUnchangedGroupsAndCopiesStateOfChangedOnes() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/r.yml"
            let keep = "  - name: keep\n    rules:\n      - record: k\n        expr: vector(1)\n"
            try write("groups:\n" + keep + "  - name: change\n    rules:\n      - alert: A\n        expr: vector(1)\n        for: 1h\n", to: file)
            let manager = manager()
            try await manager.update(files: [file], interval: 60_000, queryOffset: 0)
            let first = await manager.ruleGroups
            #expect(first.map(\.name) == ["change", "keep"])
            await first[0].evaluate(at: 0)
            #expect(first[0].snapshot().rules[0].alerting?.state == .pending)

            try write("groups:\n" + keep + "  - name: change\n    interval: 30s\n    rules:\n      - alert: A\n        expr: vector(1)\n        for: 1h\n", to: file)
            try await manager.update(files: [file], interval: 60_000, queryOffset: 0)
            let second = await manager.ruleGroups
            #expect(second[1] === first[1])  // unchanged: the same running group
            #expect(second[0] !== first[0] && second[0].interval == 30_000)
            // The pending alert moved over with its activeAt.
            #expect(second[0].snapshot().rules[0].alerting?.alerts.first?.activeAt == 0)
        }
    }

    @Test func removedRuleSeriesAreMarkedStaleByItsSuccessor() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/r.yml"
            try write("groups:\n  - name: g\n    rules:\n      - record: old_name\n        expr: vector(1)\n", to: file)
            let manager = manager()
            try await manager.update(files: [file], interval: 60_000, queryOffset: 0)
            await manager.ruleGroups[0].evaluate(at: 60_000)
            try write("groups:\n  - name: g\n    rules:\n      - record: new_name\n        expr: vector(1)\n", to: file)
            try await manager.update(files: [file], interval: 60_000, queryOffset: 0)
            await manager.ruleGroups[0].evaluate(at: 120_000)
            let result = try await Engine().instantQuery("old_name", at: 120_000, on: storage)
            guard case .vector(let samples) = result.value else { Issue.record("not a vector"); return }
            #expect(samples.isEmpty)  // stale at 120s
            let earlier = try await Engine().instantQuery("old_name", at: 119_000, on: storage)
            guard case .vector(let before) = earlier.value else { return }
            #expect(before.count == 1)
        }
    }

    @Test func invalidFileKeepsTheRunningRules() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder + "/r.yml"
            try write("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(1)\n", to: file)
            let manager = manager()
            try await manager.update(files: [file], interval: 60_000, queryOffset: 0)
            try write("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(\n", to: file)
            await #expect(throws: RuleFileErrors.self) { try await manager.update(files: [file], interval: 60_000, queryOffset: 0) }
            #expect(await manager.ruleGroups.map(\.name) == ["g"])
        }
    }
}
