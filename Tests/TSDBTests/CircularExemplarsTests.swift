import PharosCore
import Testing
@testable import TSDB

/// The ring on its own: wraparound, per-series chains, the refusal rules, resize, select.
@Suite(.timeLimit(.minutes(2)))
struct CircularExemplarsTests {
    static let a = labels(["__name__": "req_total", "job": "a"])
    static let b = labels(["__name__": "req_total", "job": "b"])
    static let c = labels(["__name__": "lat_bucket", "job": "c", "le": "1"])

    static func ex(_ t: Timestamp, _ value: Double = 1, trace: String = "t", hasTimestamp: Bool = true) -> Exemplar {
        Exemplar(labels: Labels(["trace_id": trace]), value: value, timestamp: t, hasTimestamp: hasTimestamp)
    }

    static let everything: [[LabelMatcher]] = [[]]

    /// Every series' exemplar timestamps, as a query over all time sees them.
    static func timestamps(_ ring: CircularExemplars) -> [Labels: [Timestamp]] {
        var out: [Labels: [Timestamp]] = [:]
        for result in ring.select(from: .min, through: .max, matching: everything) {
            out[result.seriesLabels] = result.exemplars.map(\.timestamp)
        }
        return out
    }

    @Test func wrapsAroundOverwritingTheOldestAcrossSeries() throws {
        var ring = CircularExemplars(capacity: 3)
        try ring.add(Self.a, Self.ex(1))
        try ring.add(Self.b, Self.ex(2))
        try ring.add(Self.a, Self.ex(3))
        #expect(ring.count == 3 && ring.seriesCount == 2)
        #expect(ring.oldestTimestamp == 1)
        try ring.add(Self.c, Self.ex(4))           // overwrites a@1
        #expect(Self.timestamps(ring) == [Self.a: [3], Self.b: [2], Self.c: [4]])
        #expect(ring.oldestTimestamp == 2)
        try ring.add(Self.a, Self.ex(5))           // overwrites b@2, b's last: b leaves the index
        #expect(Self.timestamps(ring) == [Self.a: [3, 5], Self.c: [4]])
        #expect(ring.seriesCount == 2)
        try ring.add(Self.a, Self.ex(6))           // overwrites a@3, a's own oldest
        #expect(Self.timestamps(ring) == [Self.a: [5, 6], Self.c: [4]])
        #expect(ring.appended == 6 && ring.count == 3)
    }

    @Test func aRingOfOneKeepsTheNewestExemplarOfOneSeries() throws {
        var ring = CircularExemplars(capacity: 1)
        for t in 1...5 { try ring.add(Self.a, Self.ex(Timestamp(t))) }
        #expect(Self.timestamps(ring) == [Self.a: [5]])
        try ring.add(Self.b, Self.ex(1))
        #expect(Self.timestamps(ring) == [Self.b: [1]])
        #expect(ring.seriesCount == 1)
    }

    @Test func perSeriesChainsSurviveManyWraps() throws {
        var ring = CircularExemplars(capacity: 7)
        var model: [(Labels, Timestamp)] = []
        let series = [Self.a, Self.b, Self.c]
        for step in 0..<200 {
            let which = series[(step * step + step / 3) % 3]
            try ring.add(which, Self.ex(Timestamp(step)))
            model.append((which, Timestamp(step)))
        }
        var want: [Labels: [Timestamp]] = [:]
        for (set, t) in model.suffix(7) { want[set, default: []].append(t) }
        #expect(Self.timestamps(ring) == want)
        #expect(ring.all().map(\.exemplar.timestamp) == model.suffix(7).map(\.1))
    }

    @Test func duplicatesAreNoOpsAndOutOfOrderIsRefusedAndCounted() throws {
        var ring = CircularExemplars(capacity: 10)
        #expect(try ring.add(Self.a, Self.ex(10, hasTimestamp: false)) == .stored)
        // The same exemplar scraped again without a timestamp of its own is a duplicate, whatever its time.
        #expect(try ring.add(Self.a, Self.ex(20, hasTimestamp: false)) == .duplicate)
        #expect(try ring.add(Self.a, Self.ex(20, trace: "u", hasTimestamp: false)) == .stored)
        #expect(throws: AppendError(.outOfOrderExemplar, "timestamp 20 for \(Self.a)")) {
            try ring.add(Self.a, Self.ex(20, 2))
        }
        #expect(throws: AppendError.self) { try ring.add(Self.a, Self.ex(5)) }
        #expect(ring.outOfOrder == 2)
        #expect(ring.appended == 2)
        // `check` reports the same verdicts without counting.
        if case .failure(let error) = ring.check(Self.a, Self.ex(1)) { #expect(error.kind == .outOfOrderExemplar) } else { Issue.record() }
        #expect(ring.outOfOrder == 2)
        // Another series is independent.
        #expect(try ring.add(Self.b, Self.ex(1)) == .stored)
    }

    @Test(arguments: [(127, true), (128, true), (129, false)])
    func labelSetLengthLimitCountsCodePoints(length: Int, accepted: Bool) throws {
        var ring = CircularExemplars(capacity: 4)
        // "ü" is two UTF-8 bytes but one code point: the limit is in code points.
        let value = String(repeating: "ü", count: length - "trace_id".count)
        let exemplar = Exemplar(labels: Labels(["trace_id": value]), value: 1, timestamp: 1)
        if accepted {
            #expect(try ring.add(Self.a, exemplar) == .stored)
        } else {
            #expect(throws: AppendError.self) { try ring.add(Self.a, exemplar) }
            #expect(ring.count == 0 && ring.outOfOrder == 0)
        }
    }

    @Test func aZeroCapacityStoresNothing() throws {
        var ring = CircularExemplars(capacity: -5)
        #expect(ring.capacity == 0)
        #expect(try ring.add(Self.a, Self.ex(1)) == .disabled)
        #expect(ring.select(from: .min, through: .max, matching: Self.everything).isEmpty)
        #expect(ring.oldestTimestamp == nil)
    }

    @Test func shrinkKeepsTheNewestAndGrowKeepsEverything() throws {
        var ring = CircularExemplars(capacity: 5)
        for t in 1...8 { try ring.add(t % 2 == 0 ? Self.a : Self.b, Self.ex(Timestamp(t))) }
        // Holds 4…8 after wrapping; nextIndex is in the middle of the ring.
        #expect(ring.resize(to: 3) == 3)
        #expect(Self.timestamps(ring) == [Self.a: [6, 8], Self.b: [7]])
        #expect(ring.all().map(\.exemplar.timestamp) == [6, 7, 8])
        #expect(ring.resize(to: 10) == 3)
        #expect(ring.capacity == 10 && ring.count == 3)
        for t in 9...15 { try ring.add(Self.c, Self.ex(Timestamp(t))) }
        #expect(ring.all().map(\.exemplar.timestamp) == Array(6...15).map(Timestamp.init))
        try ring.add(Self.c, Self.ex(16))          // full again: overwrites the oldest (a@6)
        #expect(Self.timestamps(ring)[Self.a] == [8])
        #expect(ring.resize(to: 0) == 0)
        #expect(ring.count == 0 && ring.seriesCount == 0)
        #expect(try ring.add(Self.a, Self.ex(99)) == .disabled)
        #expect(ring.resize(to: 2) == 0)
        #expect(try ring.add(Self.a, Self.ex(99)) == .stored)
        #expect(ring.appended == 17)               // counters survive resizes
    }

    @Test func resizeToAnEmptyRingOfTheSameSizeChangesNothing() throws {
        var ring = CircularExemplars(capacity: 3)
        try ring.add(Self.a, Self.ex(1))
        #expect(ring.resize(to: 3) == 1)
        #expect(Self.timestamps(ring) == [Self.a: [1]])
    }

    @Test func selectFiltersByTimeAndMatcherSetsAndSortsBySeries() throws {
        var ring = CircularExemplars(capacity: 20)
        for t in stride(from: 10, through: 50, by: 10) {
            try ring.add(Self.b, Self.ex(Timestamp(t)))
            try ring.add(Self.a, Self.ex(Timestamp(t + 1)))
            try ring.add(Self.c, Self.ex(Timestamp(t + 2)))
        }
        let all = ring.select(from: 20, through: 31, matching: Self.everything)
        #expect(all.map(\.seriesLabels) == [Self.c, Self.a, Self.b].sorted())
        #expect(all.first { $0.seriesLabels == Self.a }?.exemplars.map(\.timestamp) == [21, 31])
        #expect(all.first { $0.seriesLabels == Self.c }?.exemplars.map(\.timestamp) == [22])
        let jobA = [LabelMatcher.equal("job", "a")]
        let bucket = [LabelMatcher.equal("__name__", "lat_bucket"), try LabelMatcher(.regexMatch, "le", "1|2")]
        #expect(ring.select(from: .min, through: .max, matching: [jobA, bucket]).map(\.seriesLabels) == [Self.c, Self.a].sorted())
        // A matcher on a missing label compares with "".
        #expect(ring.select(from: .min, through: .max, matching: [[.equal("le", "")]]).map(\.seriesLabels) == [Self.a, Self.b])
        #expect(ring.select(from: .min, through: .max, matching: []).isEmpty)
        #expect(ring.select(from: 53, through: .max, matching: Self.everything).isEmpty)
        #expect(ring.select(from: 0, through: 9, matching: Self.everything).isEmpty)
    }
}
