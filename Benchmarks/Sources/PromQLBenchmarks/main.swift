import Foundation
import Logging
import PharosCore
import PromQL
import PromQLParser
import TSDB

// Usage: swift run -c release PromQLBenchmarks [filter] — env PHAROS_BENCH_SERIES (default
// 100000), PHAROS_BENCH_RUNS (default 5). Prints the median wall time of each query in ms.
// PHAROS_BENCH_BLOCKS=<folder of block folders> instead queries a copy of persisted blocks
// (e.g. `bench/promql.py --blocks-only --cache DIR`'s `DIR/100000/blocks`) with the peer
// script's queries, at the end of the newest block.

let environment = ProcessInfo.processInfo.environment
let seriesCount = Int(environment["PHAROS_BENCH_SERIES"] ?? "") ?? 100_000
let runs = Int(environment["PHAROS_BENCH_RUNS"] ?? "") ?? 5
let filter = CommandLine.arguments.dropFirst().first

struct Case {
    let name: String
    let query: String
    /// nil: instant query at the end of the data; otherwise a range query over the whole hour.
    let step: Int64?
}

let blocksSource = environment["PHAROS_BENCH_BLOCKS"]
let blockCases = [
    Case(name: "sum-rate instant", query: "sum by (job) (rate(x_total[5m]))", step: nil),
    Case(name: "histogram_quantile instant", query: "histogram_quantile(0.99, sum by (le) (rate(y_bucket[5m])))", step: nil),
    Case(name: "topk instant", query: "topk(10, z)", step: nil),
    Case(name: "regex count instant", query: #"count({__name__=~"x_total|y_bucket|z", instance=~".*1.*5.*"})"#, step: nil),
    Case(name: "sum-rate range 1h/15s", query: #"sum by (job) (rate(x_total{code=~"c0|c1"}[5m]))"#, step: 15_000),
]
let headCases = [
    Case(name: "sum-rate instant", query: "sum by (job) (rate(x_total[5m]))", step: nil),
    Case(name: "histogram_quantile instant", query: "histogram_quantile(0.99, sum by (le) (rate(y_bucket[5m])))", step: nil),
    Case(name: "topk instant", query: "topk(10, z)", step: nil),
    Case(name: "regex count instant", query: #"count({__name__=~"z.*", instance=~"i-1.*"})"#, step: nil),
    Case(name: "sum-rate range 1h/15s", query: "sum by (job) (rate(x_total[5m]))", step: 15_000),
    Case(name: "histogram_quantile range 1h/15s", query: "histogram_quantile(0.99, sum by (le) (rate(y_bucket[5m])))", step: 15_000),
    Case(name: "topk range 1h/15s", query: "topk(10, z)", step: 15_000),
] 
let cases = (blocksSource == nil ? headCases : blockCases).filter { filter == nil || $0.name.contains(filter!) }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-promql-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: directory) }

let clock = ContinuousClock()
let workload = Workload(series: seriesCount)
var db: TSDB!
var queryStart = Workload.start, queryEnd = Workload.end
if let blocksSource {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: blocksSource) {
        try FileManager.default.copyItem(atPath: blocksSource + "/" + name, toPath: directory + "/" + name)
    }
    var options = TSDBOptions()
    options.retentionTime = nil
    db = try TSDB.open(directory: directory, options: options, logger: Logger(label: "bench"))
    queryEnd = (db.blocks.map(\.meta.maxTime).max() ?? 1) - 1
    queryEnd -= queryEnd % 1000
    queryStart = queryEnd - Workload.hour
    print("opened \(db.blocks.count) block(s) from \(blocksSource); queries end at \(queryEnd)")
} else {
    let fillTime = try await clock.measure { db = try await workload.fill(directory: directory) }
    print("filled \(seriesCount) series × \(Workload.hour / Workload.scrapeInterval + 1) samples in \(fillTime)")
}

let engine = Engine()
func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

for item in cases {
    let expr = try parseExpr(item.query)
    var times: [Double] = []
    var summary = ""
    for _ in 0..<runs {
        let result: QueryResult
        let start = clock.now
        if let step = item.step {
            result = try await engine.rangeQuery(expr, source: item.query, start: queryStart, end: queryEnd,
                                                 step: step, on: db)
        } else {
            result = try await engine.instantQuery(expr, source: item.query, at: queryEnd, on: db)
        }
        times.append(milliseconds(clock.now - start))
        switch result.value {
        case .vector(let samples): summary = "\(samples.count) samples"
        case .matrix(let series): summary = "\(series.count) series × \(series.first?.samples.count ?? 0)"
        case .scalar(_, let value): summary = "scalar \(value)"
        case .string: summary = "string"
        }
    }
    times.sort()
    let median = times[times.count / 2]
    print("\(item.name.padding(toLength: 34, withPad: " ", startingAt: 0)) median \(String(format: "%9.2f", median)) ms  min \(String(format: "%9.2f", times[0])) ms  (\(summary))  \(item.query)")
}
try db.close()
