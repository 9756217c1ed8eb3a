import Synchronization

/// A Prometheus summary over a sliding time window (client_golang's `Summary` with `MaxAge`
/// and `AgeBuckets`): quantiles over the observations of the last `maxAge`, `_sum` and
/// `_count` over all time. The window is `ageBuckets` buckets of `maxAge / ageBuckets` each;
/// the oldest is dropped as time passes, so an observation counts for between
/// `maxAge − maxAge/ageBuckets` and `maxAge`. Each bucket keeps at most `bucketCapacity`
/// observations, a uniform sample of what it saw (reservoir sampling), which bounds memory and
/// keeps quantiles within sampling error. With no observation in the window a quantile is NaN,
/// as Prometheus reports it. Thread-safe.
package final class SlidingWindowSummary: Sendable {
    package struct Options: Sendable {
        /// Quantiles reported, client_golang's `DefObjectives`-style keys.
        package var quantiles: [Double] = [0.01, 0.05, 0.5, 0.9, 0.99]
        /// Seconds an observation stays in the quantile window (Prometheus' default 10 m).
        package var maxAge: Double = 600
        package var ageBuckets = 5
        package var bucketCapacity = 2048

        package init() {}
    }

    private struct Bucket {
        var start: Double
        var seen = 0
        var values: [Double] = []
    }

    private struct State {
        var buckets: [Bucket] = []
        var sum = 0.0
        var count: UInt64 = 0
    }

    package let options: Options
    private let now: @Sendable () -> Double
    private let state = Mutex(State())

    /// - Parameter now: seconds on any monotonic scale (injected for tests).
    package init(options: Options = Options(), now: @escaping @Sendable () -> Double) {
        self.options = options
        self.now = now
    }

    package func observe(_ value: Double) {
        let time = now()
        let width = options.maxAge / Double(options.ageBuckets)
        state.withLock { state in
            state.sum += value
            state.count += 1
            expire(&state, at: time)
            if state.buckets.last.map({ time - $0.start >= width }) ?? true {
                state.buckets.append(Bucket(start: time))
            }
            var bucket = state.buckets.removeLast()
            bucket.seen += 1
            if bucket.values.count < options.bucketCapacity {
                bucket.values.append(value)
            } else {
                let slot = Int.random(in: 0..<bucket.seen)
                if slot < options.bucketCapacity { bucket.values[slot] = value }
            }
            state.buckets.append(bucket)
        }
    }

    /// The quantiles (in `options.quantiles` order), sum and count as of now.
    package func snapshot() -> (quantiles: [(quantile: Double, value: Double)], sum: Double, count: UInt64) {
        let time = now()
        return state.withLock { state in
            expire(&state, at: time)
            let values = state.buckets.flatMap(\.values).sorted()
            let quantiles = options.quantiles.map { q -> (Double, Double) in
                guard !values.isEmpty else { return (q, .nan) }
                let rank = Int((q * Double(values.count)).rounded(.up)) - 1
                return (q, values[min(max(rank, 0), values.count - 1)])
            }
            return (quantiles, state.sum, state.count)
        }
    }

    private func expire(_ state: inout State, at time: Double) {
        state.buckets.removeAll { time - $0.start >= options.maxAge }
    }
}
