import Logging
import PharosCore
import TSDB

/// The benchmark data set, the same shape as the peer script in `bench/`: 100k series over
/// one hour at a 15 s scrape interval, appended through the TSDB's `Appender`.
///
/// - `x_total`: counters, 10 jobs × 1000 instances (10k series).
/// - `y_bucket`: classic histogram buckets, 1000 instances × 10 `le` (10k series).
/// - `z`: gauges, `instance="i-N"`, the rest of the series (80k at full size).
struct Workload {
    static let scrapeInterval: Int64 = 15_000
    static let hour: Int64 = 3_600_000
    /// Start of the data (aligned to the 2 h block range so all of it stays in the head).
    static let start: Timestamp = 1_700_000_000_000 / (2 * hour) * (2 * hour)
    static var end: Timestamp { start + hour }
    static let buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]

    let series: Int

    var labelSets: [Labels] {
        var sets: [Labels] = []
        sets.reserveCapacity(series)
        let tenth = series / 10
        for index in 0..<tenth {
            sets.append(Labels(["__name__": "x_total", "job": "job-\(index % 10)", "instance": "i-\(index / 10)"]))
        }
        for index in 0..<tenth {
            sets.append(Labels(["__name__": "y_bucket", "job": "api", "instance": "i-\(index / 10)",
                                "le": Self.buckets[index % 10]]))
        }
        for index in 0..<(series - 2 * tenth) {
            sets.append(Labels(["__name__": "z", "job": "node", "instance": "i-\(index)"]))
        }
        return sets
    }

    /// Opens a TSDB in `directory` and appends the whole hour, one commit per scrape round.
    func fill(directory: String) async throws -> TSDB {
        var options = TSDBOptions()
        options.retentionTime = nil
        let db = try TSDB.open(directory: directory, options: options, logger: Logger(label: "bench"))
        let sets = labelSets
        var refs = [SeriesRef](repeating: SeriesRef.unknown, count: sets.count)
        let rounds = Int(Self.hour / Self.scrapeInterval) + 1
        for round in 0..<rounds {
            let appender = db.makeAppender()
            let time = Self.start + Int64(round) * Self.scrapeInterval
            for (index, labels) in sets.enumerated() {
                refs[index] = try appender.append(refs[index], labels, at: time, value: value(index, round),
                                                  options: AppendOptions())
            }
            try await appender.commit()
        }
        return db
    }

    /// Counters grow by a series-dependent step; histogram buckets are cumulative in `le`.
    func value(_ index: Int, _ round: Int) -> Double {
        let tenth = series / 10
        if index < tenth { return Double(round * (1 + index % 7)) }
        if index < 2 * tenth { return Double(round * (1 + (index - tenth) % 10)) }
        return Double(index % 1000) + Double(round % 7) * 0.25
    }
}
