import Logging
import PharosCore
import Synchronization

/// Runs `probes.checks`: each check in its own loop (a hanging target delays no other check),
/// every `interval`, cut at its timeout; each outcome's `probe_*` samples are appended through
/// `Appendable` with `check`, `instance` and the check's labels. `reload()` restarts the
/// loops from the service's current config.
package final class CheckScheduler: Sendable {
    private let service: ProbeService
    private let appendable: any Appendable
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let signals: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    private let generation = Atomic<Int>(0)

    package init(service: ProbeService, appendable: any Appendable, logger: Logger, now: @escaping @Sendable () -> Int64) {
        self.service = service
        self.appendable = appendable
        self.logger = logger
        self.now = now
        signals = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Restarts the loops with the service's checks (call after `ProbeService.apply`).
    package func reload() { signals.continuation.yield(()) }

    /// Runs until cancelled.
    package func run() async {
        await withDiscardingTaskGroup { group in
            start(in: &group)
            for await _ in signals.stream {
                if Task.isCancelled { break }
                start(in: &group)
            }
            group.cancelAll()
        }
    }

    private func start(in group: inout DiscardingTaskGroup) {
        let mine = generation.add(1, ordering: .sequentiallyConsistent).newValue
        let config = service.config
        for check in config.checks {
            guard let module = config.modules[check.module] else { continue }
            group.addTask { await self.loop(check, module: module, generation: mine) }
        }
    }

    private func loop(_ check: ProbeCheck, module: ProbeModule, generation mine: Int) async {
        let interval = Duration.milliseconds(check.interval.milliseconds)
        var next = ContinuousClock.now
        while !Task.isCancelled, generation.load(ordering: .sequentiallyConsistent) == mine {
            await runOnce(check, module: module)
            next += interval
            if next < .now { next = .now + interval }
            while ContinuousClock.now < next {
                guard generation.load(ordering: .sequentiallyConsistent) == mine else { return }
                let step = min(next - .now, .milliseconds(500))
                do { try await Task.sleep(for: step) } catch { return }
            }
        }
    }

    /// The check's timeout: its own, else the module's (capped by the interval), else the interval.
    package static func timeoutSeconds(_ check: ProbeCheck, module: ProbeModule) -> Double {
        if let timeout = check.timeout { return timeout.seconds }
        if module.timeout.milliseconds > 0 { return min(module.timeout.seconds, check.interval.seconds) }
        return check.interval.seconds
    }

    /// Probes once and appends the samples at the probe's start time.
    package func runOnce(_ check: ProbeCheck, module: ProbeModule) async {
        let timestamp = now()
        let outcome = await service.runner.run(moduleName: check.module, module: module, target: check.target,
                                               timeoutSeconds: Self.timeoutSeconds(check, module: module))
        let appender = appendable.makeAppender()
        do {
            for sample in outcome.registry.samples() {
                var labels = sample.labels
                labels.append(Label(name: "check", value: check.name))
                labels.append(Label(name: "instance", value: check.target))
                labels += check.labels.map { $0 }
                _ = try appender.append(.unknown, Labels(labels), at: timestamp, value: sample.value,
                                        options: AppendOptions(metadata: sample.metadata))
            }
            try await appender.commit()
        } catch {
            appender.rollback()
            logger.warning("Cannot store the check's samples", metadata: ["probe.check": "\(check.name)", "error": "\(error)"])
        }
    }
}
