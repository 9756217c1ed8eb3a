import Logging
import PharosCore

/// Errors only: the benchmarks time the TSDB, not logging.
let logger: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    return logger
}()

/// Scrape-shaped label sets: `targets` targets of `seriesPerTarget` series each, five labels,
/// the longer values (instance, metric names) longer than Swift's 15-byte inline strings.
/// Every series' strings are separate heap copies, as when they come out of a scrape parser.
func scrapeLabels(targets: Int, seriesPerTarget: Int) -> [[Labels]] {
    (0..<targets).map { target in
        (0..<seriesPerTarget).map { index in
            Labels([
                Label(name: String("__name__".utf8), value: "node_metric_family_total_\(index % 100)"),
                Label(name: String("instance".utf8), value: "host-\(target).example.internal:9100"),
                Label(name: String("job".utf8), value: String("node-exporter".utf8)),
                Label(name: String("mode".utf8), value: "mode_\(index % 8)"),
                Label(name: String("series_id".utf8), value: "\(index / 100)"),
            ])
        }
    }
}

/// A gauge-like value that changes a little every scrape (realistic XOR compression).
@inline(__always)
func sampleValue(series: Int, round: Int) -> Double {
    Double(series % 1000) + Double(round % 7) * 0.25
}

/// Scrape interval of the workload, in milliseconds.
let scrapeInterval: Int64 = 15_000
