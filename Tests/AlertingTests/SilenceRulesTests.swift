import Alerting
import Foundation
import Logging
import PharosCore
import Testing

/// Alertmanager's silence rules: ids, states, updates in place or by replacement, expiry.
struct SilenceRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)
    static let matchers = [SilenceMatcher(name: "alertname", value: "X", isRegex: false)]

    static func silences() -> Silences {
        Silences(store: MemoryRecordStore<Silence>(), logger: Logger(label: "test"))
    }

    static func silence(id: String = "", matchers: [SilenceMatcher] = matchers, from: Double, to: Double) -> Silence {
        Silence(id: id, matchers: matchers, startsAt: t0.addingTimeInterval(from), endsAt: t0.addingTimeInterval(to),
                createdBy: "me", comment: "c")
    }

    @Test func statesFollowTheClock() {
        let silence = Self.silence(from: 10, to: 20)
        #expect(silence.state(at: Self.t0) == .pending)
        #expect(silence.state(at: Self.t0.addingTimeInterval(10)) == .active)
        #expect(silence.state(at: Self.t0.addingTimeInterval(20)) == .expired)
    }

    @Test func createStartsNoEarlierThanNowWithAUUID() throws {
        let silences = Self.silences()
        let id = try silences.set(Self.silence(from: -100, to: 100), now: Self.t0)
        #expect(UUID(uuidString: id) != nil)
        #expect(silences.get(id)?.startsAt == Self.t0)
        #expect(silences.mutedBy(Labels(["alertname": "X"]), now: Self.t0) == [id])
        #expect(silences.mutedBy(Labels(["alertname": "Y"]), now: Self.t0).isEmpty)
    }

    @Test func updateKeepsIdUnlessMatchersChange() throws {
        let silences = Self.silences()
        let id = try silences.set(Self.silence(from: 0, to: 100), now: Self.t0)
        // Extending an active silence keeps its id.
        let same = try silences.set(Self.silence(id: id, from: 0, to: 200), now: Self.t0.addingTimeInterval(5))
        #expect(same == id)
        #expect(silences.get(id)?.endsAt == Self.t0.addingTimeInterval(200))
        // New matchers: the old one is expired, a new one is created.
        let changed = [SilenceMatcher(name: "alertname", value: "Y", isRegex: false)]
        let other = try silences.set(Self.silence(id: id, matchers: changed, from: 0, to: 200), now: Self.t0.addingTimeInterval(10))
        #expect(other != id)
        #expect(silences.get(id)?.state(at: Self.t0.addingTimeInterval(10)) == .expired)
        #expect(silences.get(other)?.state(at: Self.t0.addingTimeInterval(10)) == .active)
    }

    @Test func expireAndErrors() throws {
        let silences = Self.silences()
        let pending = try silences.set(Self.silence(from: 50, to: 100), now: Self.t0)
        try silences.expire(pending, now: Self.t0)
        #expect(silences.get(pending)?.startsAt == Self.t0)
        #expect(silences.get(pending)?.endsAt == Self.t0)
        #expect(throws: SilenceError.self) { try silences.expire(pending, now: Self.t0) }
        #expect((try? silences.expire("nope", now: Self.t0)) == nil)
        #expect(throws: SilenceError.self) {
            try silences.set(Self.silence(matchers: [SilenceMatcher(name: "a", value: "", isRegex: false)], from: 0, to: 1), now: Self.t0)
        }
        #expect(throws: SilenceError.self) { try silences.set(Self.silence(id: "unknown", from: 0, to: 1), now: Self.t0) }
    }

    @Test func persistedAcrossRestart() throws {
        let store = MemoryRecordStore<Silence>()
        let first = Silences(store: store, logger: Logger(label: "test"))
        let id = try first.set(Self.silence(from: 0, to: 100), now: Self.t0)
        let second = Silences(store: store, logger: Logger(label: "test"))
        #expect(second.get(id) == first.get(id))
    }
}
