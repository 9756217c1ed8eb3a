import Alerting
import Foundation
import Logging
import MetricsTestKit
import PharosCore
import PharosTestSupport
import Synchronization
import Testing

extension ManualClock: AlertingClock {}
extension ManualClock {
    package func now() -> Date { Date(timeIntervalSince1970: Double(nowNanoseconds) / 1e9) }
    package func sleep(until deadline: Date) async throws {
        try await sleep(untilNanoseconds: Int64((deadline.timeIntervalSince1970 * 1e9).rounded(.up)))
    }
}

/// A notifier that records calls and answers from a script of outcomes (then succeeds).
final class ScriptedNotifier: Notifier, @unchecked Sendable {
    let integration = "webhook"
    let sendResolved: Bool
    private let lock = NSLock()
    private var script: [NotifyError?]
    private(set) var calls: [[AlertmanagerAlert]] = []
    let hang: Bool

    init(sendResolved: Bool = true, script: [NotifyError?] = [], hang: Bool = false) {
        self.sendResolved = sendResolved
        self.script = script
        self.hang = hang
    }

    var callCount: Int { lock.withLock { calls.count } }

    func notify(_ alerts: [AlertmanagerAlert], context: NotificationContext) async throws(NotifyError) {
        let outcome = lock.withLock { () -> NotifyError? in
            calls.append(alerts)
            return script.isEmpty ? nil : script.removeFirst()
        }
        if hang {
            try? await Task.sleep(for: .seconds(3600))
            throw NotifyError(retryable: true, "cancelled")
        }
        if let outcome { throw outcome }
    }
}

struct NotificationPipelineTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)

    static func pipeline(_ receivers: [String: [ReceiverIntegration]], clock: ManualClock, metrics: TestMetrics = TestMetrics(),
                         silences: Silences? = nil, inhibitRules: [InhibitRule] = []) -> NotificationPipeline {
        let logger = Logger(label: "test")
        let alerts = AlertRegistry(store: MemoryRecordStore<StoredAlert>(), logger: logger)
        return NotificationPipeline(
            receivers: receivers, inhibitRules: inhibitRules, timeIntervals: TimeIntervals(),
            silences: silences ?? Silences(store: MemoryRecordStore<Silence>(), logger: logger),
            notificationLog: NotificationLog(store: MemoryRecordStore<NotificationLogEntry>(), logger: logger),
            alerts: alerts, metrics: NotifierMetrics(factory: metrics), clock: clock, externalURL: "http://pharos", logger: logger)
    }

    static func group(receiver: String = "r") -> FlushedGroup {
        var config = RouteConfig()
        config.receiver = receiver
        config.groupInterval = PrometheusDuration(milliseconds: 300_000)
        return FlushedGroup(groupKey: "{}:{}", groupLabels: .empty, options: Route(config).options)
    }

    static let firing = AlertmanagerAlert(labels: Labels(["alertname": "A"]), startsAt: t0,
                                          endsAt: t0.addingTimeInterval(3600), updatedAt: t0)

    @Test func retryableFailureThenSuccessNotifiesOnceMoreAndIsLoggedOnce() async {
        let clock = ManualClock(nowMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000))
        let notifier = ScriptedNotifier(script: [NotifyError(retryable: true, "500")])
        let metrics = TestMetrics()
        let pipeline = Self.pipeline(["r": [ReceiverIntegration(notifier: notifier, index: 0)]], clock: clock, metrics: metrics)
        async let result = pipeline.run(Self.group(), alerts: [Self.firing])
        // The first attempt fails; the retry waits for the backoff on the manual clock.
        while clock.sleepers < 1 || notifier.callCount < 1 { await Task.yield() }
        while notifier.callCount < 2 {
            if let next = clock.nextDeadlineMilliseconds { clock.advance(toMilliseconds: next) }
            await Task.yield()
        }
        #expect(await result)
        #expect(notifier.callCount == 2)
        #expect(try! metrics.expectCounter("alertmanager_notifications_total", [("integration", "webhook")]).totalValue == 2)
        #expect(try! metrics.expectCounter("alertmanager_notifications_failed_total", [("integration", "webhook")]).totalValue == 1)
        // Dedup: the same group again sends nothing.
        #expect(await pipeline.run(Self.group(), alerts: [Self.firing]))
        #expect(notifier.callCount == 2)
    }

    @Test func permanentFailureIsNotRetried() async {
        let clock = ManualClock(nowMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000))
        let notifier = ScriptedNotifier(script: [NotifyError(retryable: false, "400")])
        let pipeline = Self.pipeline(["r": [ReceiverIntegration(notifier: notifier, index: 0)]], clock: clock)
        #expect(await pipeline.run(Self.group(), alerts: [Self.firing]) == false)
        #expect(notifier.callCount == 1)
    }

    @Test func hangingIntegrationDoesNotDelayAnother() async {
        let clock = ManualClock(nowMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000))
        let hanging = ScriptedNotifier(hang: true)
        let healthy = ScriptedNotifier()
        let pipeline = Self.pipeline(["r": [ReceiverIntegration(notifier: hanging, index: 0, attemptTimeout: 10),
                                            ReceiverIntegration(notifier: healthy, index: 1)]], clock: clock)
        async let result = pipeline.run(Self.group(), alerts: [Self.firing])
        while healthy.callCount < 1 || hanging.callCount < 1 { await Task.yield() }
        // The healthy one delivered while the other hangs; time then abandons the hanging attempts.
        #expect(healthy.callCount == 1)
        for _ in 0..<200 {
            if let next = clock.nextDeadlineMilliseconds { clock.advance(toMilliseconds: next) }
            await Task.yield()
        }
        clock.advance(toMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000) + 400_000)
        #expect(await result == false)
        #expect(healthy.callCount == 1)
    }

    @Test func sendResolvedFalseSkipsResolvedOnlyNotifications() async {
        let clock = ManualClock(nowMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000) + 10_000)
        let notifier = ScriptedNotifier(sendResolved: false)
        let pipeline = Self.pipeline(["r": [ReceiverIntegration(notifier: notifier, index: 0)]], clock: clock)
        #expect(await pipeline.run(Self.group(), alerts: [Self.firing]))
        var resolved = Self.firing
        resolved.endsAt = Self.t0.addingTimeInterval(5)
        #expect(await pipeline.run(Self.group(), alerts: [resolved]))
        #expect(notifier.callCount == 1)
    }

    @Test func silencedAlertsAreNotSent() async throws {
        let clock = ManualClock(nowMilliseconds: Int64(Self.t0.timeIntervalSince1970 * 1000))
        let silences = Silences(store: MemoryRecordStore<Silence>(), logger: Logger(label: "test"))
        _ = try silences.set(Silence(matchers: [SilenceMatcher(name: "alertname", value: "A", isRegex: false)],
                                     startsAt: Self.t0, endsAt: Self.t0.addingTimeInterval(100), createdBy: "me", comment: ""),
                             now: Self.t0)
        let notifier = ScriptedNotifier()
        let pipeline = Self.pipeline(["r": [ReceiverIntegration(notifier: notifier, index: 0)]], clock: clock, silences: silences)
        #expect(await pipeline.run(Self.group(), alerts: [Self.firing]))
        #expect(notifier.callCount == 0)
    }

    @Test func webhookMessageShape() {
        let context = NotificationContext(receiver: "r", groupKey: "{}:{}", groupLabels: .empty, externalURL: "http://x",
                                          now: Self.t0.addingTimeInterval(1))
        let json = WebhookNotifier.message([Self.firing, Self.firing], context: context, maxAlerts: 1).rendered
        #expect(json.contains(#""version":"4""#))
        #expect(json.contains(#""truncatedAlerts":1"#))
        #expect(json.contains(#""endsAt":"0001-01-01T00:00:00Z""#))
        #expect(json.contains(#""startsAt":"1970-01-12T13:46:40Z""#))
    }
}
