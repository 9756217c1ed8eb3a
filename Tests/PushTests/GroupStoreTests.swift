import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import Push

func body(_ text: String) throws -> PushBody { try PushBody.parse(Array(text.utf8), contentType: nil) }

func key(_ path: String) throws -> GroupingKey { try GroupingKey(path: path) }

/// `name{labels} value` lines of a group, sorted, for exact comparisons.
func lines(_ group: MetricGroup?) -> [String] {
    (group?.samples ?? []).map { "\($0.labels) \($0.value)" }.sorted()
}

@Suite(.timeLimit(.minutes(5))) struct GroupStoreTests {
    @Test func putReplacesTheGroupAndPostReplacesFamiliesByName() throws {
        let store = try GroupStore(persistence: nil)
        let batch = try key("/metrics/job/batch")
        try store.push(batch, body: body("a 1\nb 2\n"), replace: true, at: 1_000)
        try store.push(batch, body: body("a 10\n"), replace: false, at: 2_000)
        #expect(lines(store.group(batch)) == [
            #"a{job="batch"} 10.0"#, #"b{job="batch"} 2.0"#,
            #"push_failure_time_seconds{job="batch"} 0.0"#, #"push_time_seconds{job="batch"} 2.0"#,
        ])
        try store.push(batch, body: body("c 3\n"), replace: true, at: 3_500)
        #expect(lines(store.group(batch)) == [
            #"c{job="batch"} 3.0"#,
            #"push_failure_time_seconds{job="batch"} 0.0"#, #"push_time_seconds{job="batch"} 3.5"#,
        ])
        #expect(store.group(batch)?.families["c"]?.pushedAt == 3_500)
        #expect(store.group(batch)?.families["b"] == nil)
    }

    @Test func emptyBodies() throws {
        let store = try GroupStore(persistence: nil)
        let batch = try key("/metrics/job/batch")
        try store.push(batch, body: body("a 1\n"), replace: true, at: 1_000)
        try store.push(batch, body: body(""), replace: false, at: 2_000)
        #expect(lines(store.group(batch)).contains(#"a{job="batch"} 1.0"#))
        #expect(store.group(batch)?.pushTime == 2)
        try store.push(batch, body: body(""), replace: true, at: 3_000)
        #expect(lines(store.group(batch)) == [#"push_failure_time_seconds{job="batch"} 0.0"#, #"push_time_seconds{job="batch"} 3.0"#])
    }

    @Test func deleteRemovesOnlyThatGroup() throws {
        let store = try GroupStore(persistence: nil)
        let job = try key("/metrics/job/j"), instance = try key("/metrics/job/j/instance/i")
        try store.push(job, body: body("a 1\n"), replace: true, at: 1_000)
        try store.push(instance, body: body("a 2\n"), replace: true, at: 1_000)
        #expect(try store.delete(job) != nil)
        #expect(try store.delete(job) == nil)
        #expect(store.snapshot().map(\.key) == [instance])
        #expect(lines(store.group(instance)).contains(#"a{instance="i", job="j"} 2.0"#))
    }

    @Test func groupingLabelsOverwritePushedLabels() throws {
        let store = try GroupStore(persistence: nil)
        let group = try store.push(key("/metrics/job/j/instance/i"), body: body(#"a{job="other",instance="x",z="1"} 1"# + "\n"), replace: true, at: 1_000)
        #expect(lines(group).first == #"a{instance="i", job="j", z="1"} 1.0"#)
    }

    @Test func pushedPushTimeFamiliesAreIgnored() throws {
        let store = try GroupStore(persistence: nil)
        let group = try store.push(key("/metrics/job/j"), body: body("push_time_seconds 5\npush_failure_time_seconds 7\n"), replace: true, at: 1_000)
        #expect(group.pushTime == 1 && group.pushFailureTime == 0)
        #expect(group.families[MetricGroup.pushTimeName]?.type == .gauge)
        #expect(group.families[MetricGroup.pushTimeName]?.help == MetricGroup.pushTimeHelp)
    }

    @Test func inconsistentPushesAreRejectedAndRecordTheFailureTime() throws {
        let store = try GroupStore(persistence: nil)
        let a = try key("/metrics/job/a"), b = try key("/metrics/job/b")
        try store.push(a, body: body("# TYPE m counter\nm 1\n"), replace: true, at: 1_000)
        #expect(throws: PushError(.inconsistent, "pushed metrics are invalid or inconsistent with existing metrics: metric family m has type gauge in group {job=\"b\"} but counter in group {job=\"a\"}", location: #"push to {job="b"}"#)) {
            try store.push(b, body: body("# TYPE m gauge\nm 1\n"), replace: true, at: 2_000)
        }
        #expect(store.group(b)?.pushFailureTime == 2 && store.group(b)?.pushTime == 0)
        #expect(store.group(b)?.lastPushSuccessful == false)
        #expect(store.group(b)?.families["m"] == nil)
        // Help strings may differ between groups.
        try store.push(b, body: body("# TYPE m counter\n# HELP m other help\nm 1\n"), replace: true, at: 3_000)
        #expect(store.group(b)?.lastPushSuccessful == true)
        // Timestamps are refused; the group keeps its metrics.
        #expect(throws: PushError.self) { try store.push(a, body: body("m 2 1000\n"), replace: true, at: 4_000) }
        #expect(lines(store.group(a)).contains(#"m{job="a"} 1.0"#))
        #expect(store.group(a)?.pushFailureTime == 4 && store.group(a)?.pushTime == 1)
    }

    @Test func duplicateSeriesAcrossGroupsAreRejected() throws {
        let store = try GroupStore(persistence: nil)
        try store.push(key("/metrics/job/a"), body: body(#"m{instance="x"} 1"# + "\n"), replace: true, at: 1_000)
        #expect(throws: PushError.self) {
            try store.push(key("/metrics/job/a/instance/x"), body: body("m 1\n"), replace: true, at: 2_000)
        }
        #expect(throws: PushError.self) { try store.push(key("/metrics/job/c"), body: body("d 1\nd 2\n"), replace: true, at: 2_000) }
    }

    @Test func reservedLabelNamesAreRejected() throws {
        let store = try GroupStore(persistence: nil)
        #expect(throws: PushError(.inconsistent, #"pushed metrics are invalid or inconsistent with existing metrics: metric m{__x="1", job="a"} has a label with an invalid name: __x"#,
                                  location: #"push to {job="a"}"#)) {
            try store.push(key("/metrics/job/a"), body: body(#"m{__x="1"} 1"# + "\n"), replace: true, at: 1_000)
        }
    }

    @Test func suffixCollisionsAreRejected() throws {
        let store = try GroupStore(persistence: nil)
        try store.push(key("/metrics/job/a"), body: body("# TYPE rpc summary\nrpc_sum 1\nrpc_count 1\n"), replace: true, at: 1_000)
        #expect(throws: PushError.self) { try store.push(key("/metrics/job/b"), body: body("rpc_count 3\n"), replace: true, at: 2_000) }
    }

    @Test func groupsSurviveAReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let persistence = FileGroupPersistence(dataDirectory: directory.path)
        let store = try GroupStore(persistence: persistence)
        try store.push(key("/metrics/job/a/path@base64/L3Zhci90bXA"), body: body("# TYPE m gauge\n# HELP m Help \\n text.\nm NaN\nn +Inf\n"), replace: true, at: 1_000)
        try store.push(key("/metrics/job/b/empty@base64/="), body: body("x -0.5\n"), replace: true, at: 2_000)
        try store.push(key("/metrics/job/gone"), body: body("x 1\n"), replace: true, at: 2_000)
        try store.delete(key("/metrics/job/gone"))
        let reopened = try GroupStore(persistence: FileGroupPersistence(dataDirectory: directory.path))
        #expect(reopened.snapshot() == store.snapshot())
        #expect(reopened.snapshot().count == 2)
        let a = reopened.snapshot().first { $0.key.job == "a" }
        #expect(a?.families["m"]?.samples.first?.value.isNaN == true)
        #expect(a?.families["m"]?.help == "Help \n text.")
        #expect(reopened.snapshot().map(\.key.job) == ["b", "a"])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files == ["pushgateway.json"])
    }

    @Test func aCorruptFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/pushgateway.json"
        let store = try GroupStore(persistence: FileGroupPersistence(path: path))
        try store.push(key("/metrics/job/a"), body: body("m 1\n"), replace: true, at: 1_000)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: PushError.self) { try GroupStore(persistence: FileGroupPersistence(path: path)) }
        #expect(try GroupStore(persistence: FileGroupPersistence(path: directory.path + "/none.json")).snapshot().isEmpty)
    }
}
