import Discovery
import Logging
import MetricsTestKit
import PharosConfig
import PharosCore
import PharosTestSupport
import Synchronization

extension ManualClock: DiscoveryClock {}

/// A discoverer the test drives: `initialGroups()` as given, then every batch `emit` yields.
final class ScriptedDiscoverer: Discoverer {
    let initial: [TargetGroup]
    private let stream: AsyncStream<[TargetGroup]>
    private let continuation: AsyncStream<[TargetGroup]>.Continuation
    private let counts = Mutex((runs: 0, ended: 0))

    init(initial: [TargetGroup] = []) {
        self.initial = initial
        (stream, continuation) = AsyncStream.makeStream()
    }

    var runs: Int { counts.withLock { $0.runs } }
    var ended: Int { counts.withLock { $0.ended } }

    func emit(_ groups: [TargetGroup]) { continuation.yield(groups) }

    func initialGroups() -> [TargetGroup] { initial }

    func run(_ updates: DiscoveryUpdates) async {
        counts.withLock { $0.runs += 1 }
        for await batch in stream { await updates.send(batch) }
        counts.withLock { $0.ended += 1 }
    }
}

/// Collects what a discoverer sends, for polling assertions.
final class Collected: Sendable {
    private let batches = Mutex<[[TargetGroup]]>([])

    var all: [[TargetGroup]] { batches.withLock { $0 } }
    var count: Int { batches.withLock { $0.count } }

    /// The merged state: latest group per source (empty groups remove), in first-seen order.
    var merged: [TargetGroup] {
        var order: [String] = [], bySource: [String: TargetGroup] = [:]
        for batch in all {
            for group in batch {
                if group.targets.isEmpty {
                    bySource[group.source] = nil
                    order.removeAll { $0 == group.source }
                } else {
                    if bySource[group.source] == nil { order.append(group.source) }
                    bySource[group.source] = group
                }
            }
        }
        return order.compactMap { bySource[$0] }
    }

    var updates: DiscoveryUpdates {
        DiscoveryUpdates { groups in self.batches.withLock { $0.append(groups) } }
    }
}

/// Runs `discoverer` while `body` runs, then cancels it.
func whileRunning<R>(_ discoverer: any Discoverer, into collected: Collected, _ body: () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await discoverer.run(collected.updates) }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` of real time pass.
func poll(seconds: Double = 20, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

func testContext(_ metrics: TestMetrics = TestMetrics(), clock: any DiscoveryClock = SystemDiscoveryClock(),
                 setName: String = "job", dnsResolver: ResolvConf? = nil,
                 kubernetes: KubernetesEnvironment = KubernetesEnvironment(variables: [:], serviceAccountDirectory: "/nonexistent")) -> DiscovererContext {
    DiscovererContext(setName: setName, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                      metrics: DiscoveryMetrics(factory: metrics), clock: clock, filePollInterval: .seconds(5),
                      dnsResolver: dnsResolver, kubernetesEnvironment: kubernetes)
}

/// `{__address__="…"}` label sets.
func addresses(_ groups: [TargetGroup]) -> [String] { groups.flatMap(\.addresses) }

extension TestMetrics {
    func counterValue(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        (try? expectCounter(label, dimensions).totalValue) ?? 0
    }
}
