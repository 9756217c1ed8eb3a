import NIOCore
import NIOPosix

/// What a prober gets for one check: the deadline, where its samples go, and its log.
package struct ProbeContext: Sendable {
    /// The probe must be over by then; the runner cuts it there.
    package var deadline: ContinuousClock.Instant
    package var registry: ProbeRegistry
    package var log: ProbeLog
    package var eventLoopGroup: any EventLoopGroup

    package init(deadline: ContinuousClock.Instant, registry: ProbeRegistry, log: ProbeLog,
                 eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.deadline = deadline
        self.registry = registry
        self.log = log
        self.eventLoopGroup = eventLoopGroup
    }

    /// Time left before the deadline (never negative).
    package var remaining: Duration { max(.zero, deadline - .now) }

    /// NIO's form of the deadline.
    package var nioDeadline: NIODeadline {
        let nanos = remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
        return .now() + .nanoseconds(nanos)
    }
}

/// One kind of check (blackbox's `ProbeFn`): run `target` with `module` before
/// `context.deadline`, declare and set `probe_*` families in `context.registry`, log what
/// happened, and return whether it succeeded. A prober never throws: a failure is `false`
/// with a log line saying why. It must end promptly when its task is cancelled.
package protocol Prober: Sendable {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool
}
