import Metrics
import NIOCore
import PharosServer
import Synchronization
import Testing

/// The summary back end behind `prometheus_target_interval_length_seconds`.
@Suite(.timeLimit(.minutes(5))) struct SlidingWindowSummaryTests {
    final class FakeTime: Sendable {
        let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { [self] in seconds.withLock { $0 } } }
    }

    @Test func quantilesOverTheWindowSumAndCountOverAllTime() {
        let time = FakeTime()
        let summary = SlidingWindowSummary(now: time.now)
        #expect(summary.snapshot().quantiles.allSatisfy { $0.value.isNaN })
        for value in 1...100 { summary.observe(Double(value)) }
        let first = summary.snapshot()
        #expect(first.quantiles.map(\.quantile) == [0.01, 0.05, 0.5, 0.9, 0.99])
        #expect(first.quantiles.map(\.value) == [1, 5, 50, 90, 99])
        #expect(first.sum == 5050 && first.count == 100)
        // Ten minutes later the old observations left the window; sum and count stay.
        time.advance(600)
        summary.observe(1000)
        let later = summary.snapshot()
        #expect(later.quantiles.allSatisfy { $0.value == 1000 })
        #expect(later.sum == 6050 && later.count == 101)
        time.advance(600)
        #expect(summary.snapshot().quantiles.allSatisfy { $0.value.isNaN })
    }

    @Test func aBucketKeepsABoundedSample() {
        var options = SlidingWindowSummary.Options()
        options.bucketCapacity = 100
        let summary = SlidingWindowSummary(options: options, now: { 0 })
        for value in 0..<10_000 { summary.observe(Double(value % 100)) }
        let median = summary.snapshot().quantiles[2].value
        #expect((30...70).contains(median), "median of a uniform 0…99 sample: \(median)")
        #expect(summary.snapshot().count == 10_000)
    }

    /// A swift-metrics timer named as a summary renders as Prometheus' summary family.
    @Test func timersNamedAsSummariesRenderAsSummaries() {
        let metrics = ServerMetrics(readProcess: { throw CancellationError() })
        let factory = metrics.makeFactory()
        let timer = Timer(label: "prometheus_target_interval_length_seconds", dimensions: [("interval", "15s")], factory: factory)
        timer.recordNanoseconds(15_000_000_000)
        timer.recordNanoseconds(14_500_000_000)
        let text = String(buffer: metrics.render())
        #expect(text.contains("""
            # HELP prometheus_target_interval_length_seconds Actual intervals between scrapes.
            # TYPE prometheus_target_interval_length_seconds summary
            prometheus_target_interval_length_seconds{interval="15s",quantile="0.01"} 14.5
            prometheus_target_interval_length_seconds{interval="15s",quantile="0.05"} 14.5
            prometheus_target_interval_length_seconds{interval="15s",quantile="0.5"} 14.5
            prometheus_target_interval_length_seconds{interval="15s",quantile="0.9"} 15
            prometheus_target_interval_length_seconds{interval="15s",quantile="0.99"} 15
            prometheus_target_interval_length_seconds_sum{interval="15s"} 29.5
            prometheus_target_interval_length_seconds_count{interval="15s"} 2

            """), "\(text)")
        // Other timers stay histograms.
        Timer(label: "pharos_other_seconds", factory: factory).recordNanoseconds(1)
        #expect(String(buffer: metrics.render()).contains("# TYPE pharos_other_seconds histogram"))
    }
}
