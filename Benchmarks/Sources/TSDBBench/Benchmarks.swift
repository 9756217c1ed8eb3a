import Dispatch
import Foundation
import Logging
import MallocCounter
import PharosCore
import TSDB

let targets = 10
let seriesPerTarget = 10_000

/// One scrape round: every target appends its series concurrently and commits once
/// (10 appenders × 10k series, one commit per 10k samples).
func scrapeRound(_ db: TSDB, _ labels: [[Labels]], round: Int, refs: UnsafeMutablePointer<SeriesRef>?) {
    let timestamp = 1_700_000_000_000 + Int64(round) * scrapeInterval
    // Each target writes only its own slice of `refs`.
    nonisolated(unsafe) let refs = refs
    DispatchQueue.concurrentPerform(iterations: targets) { target in
        let appender = db.head.makeAppender()
        let base = target * seriesPerTarget
        for index in 0..<seriesPerTarget {
            let ref = refs?[base + index] ?? .unknown
            let got = try! appender.append(ref, labels[target][index], at: timestamp,
                                           value: sampleValue(series: index, round: round), options: .none)
            refs?[base + index] = got
        }
        try! appender.commitNow()
    }
}

func appendBenchmarks() throws {
    let labels = scrapeLabels(targets: targets, seriesPerTarget: seriesPerTarget)
    let total = targets * seriesPerTarget
    for useRefs in [false, true] {
        let directory = temporaryDirectory("append")
        defer { cleanUp(directory) }
        let db = try TSDB.open(directory: directory, logger: logger)
        let refs = UnsafeMutablePointer<SeriesRef>.allocate(capacity: total)
        refs.initialize(repeating: .unknown, count: total)
        defer { refs.deallocate() }
        _ = measure("append: create 100k series", unit: "sample") {
            scrapeRound(db, labels, round: 0, refs: refs)
            return total
        }
        let rounds = 20
        _ = measure(useRefs ? "append+commit, refs" : "append+commit, labels", unit: "sample") {
            for round in 1...rounds { scrapeRound(db, labels, round: round, refs: useRefs ? refs : nil) }
            return rounds * total
        }
        try db.close()
        let bytes = diskBytes(directory + "/wal")
        print("  WAL bytes per sample: \(String(format: "%.2f", Double(bytes) / Double((rounds + 1) * total)))"
              + " (\(bytes) bytes, series records included)")
    }
}

func walBenchmark() throws {
    let perRecord = 10_000
    let records = 200
    let batches: [[WALRecord]] = (0..<4).map { batch in
        [.samples((0..<perRecord).map {
            RecordSample(ref: UInt64($0 + 1), timestamp: 1_700_000_000_000 + Int64(batch) * scrapeInterval,
                         value: sampleValue(series: $0, round: batch))
        })]
    }
    for compression in [WALCompression.none, .snappy] {
        let directory = temporaryDirectory("wal")
        defer { cleanUp(directory) }
        let wal = try WAL(directory: directory, compression: compression)
        _ = try measure("wal: encode+write samples, \(compression)", unit: "sample") {
            for index in 0..<records { try wal.log(batches[index % batches.count]) }
            return records * perRecord
        }
        try wal.close()
        let bytes = diskBytes(directory)
        print("  WAL bytes per sample: \(String(format: "%.2f", Double(bytes) / Double(records * perRecord)))")
    }
}

func xorBenchmarks() {
    let chunks = 20_000
    var encoded: [[UInt8]] = []
    encoded.reserveCapacity(chunks)
    _ = measure("xor: encode 120-sample chunks", unit: "sample") {
        for chunkIndex in 0..<chunks {
            var chunk = XORChunk()
            for sample in 0..<120 {
                chunk.append(timestamp: 1_700_000_000_000 + Int64(sample) * scrapeInterval + Int64(sample % 3),
                             value: sampleValue(series: chunkIndex, round: sample))
            }
            encoded.append(chunk.bytes)
        }
        return chunks * 120
    }
    let bytes = encoded.reduce(0) { $0 + $1.count }
    print("  XOR bytes per sample: \(String(format: "%.3f", Double(bytes) / Double(chunks * 120)))")
    var checksum = 0.0
    _ = measure("xor: decode 120-sample chunks", unit: "sample") {
        var count = 0
        for bytes in encoded {
            var iterator = XORIterator(bytes: bytes)
            while iterator.next() { checksum += iterator.current.value; count += 1 }
        }
        return count
    }
    if checksum == 0 { print("  (checksum zero)") }
}

func queryBenchmark() async throws {
    let directory = temporaryDirectory("query")
    defer { cleanUp(directory) }
    let db = try TSDB.open(directory: directory, logger: logger)
    let labels = scrapeLabels(targets: targets, seriesPerTarget: seriesPerTarget)
    for round in 0..<12 { scrapeRound(db, labels, round: round, refs: nil) }
    let matchers = [try LabelMatcher(.equal, "job", "node-exporter")]
    let result = try await db.withQuerier(from: .min, through: .max) { querier in
        let cpuBefore = processCPUSeconds()
        var set = try await querier.select(matchers, hints: nil, sorted: true)
        var series = 0, samples = 0
        var sum = 0.0
        while let next = try set.next() {
            series += 1
            var iterator = next.makeIterator()
            while iterator.next() { samples += 1; sum += iterator.current.value }
        }
        return (series, samples, processCPUSeconds() - cpuBefore, sum)
    }
    print(String(format: "%-34@ %10d series  cpu %9.1f ns/sample, %.1f ns/series (%d samples)",
                 "query: select+iterate 100k series" as NSString, result.0,
                 result.2 * 1e9 / Double(max(result.1, 1)), result.2 * 1e9 / Double(max(result.0, 1)), result.1))
    try db.close()
}

func rssBenchmark() throws {
    let directory = temporaryDirectory("rss")
    defer { cleanUp(directory) }
    let total = targets * seriesPerTarget
    let rssBefore = residentBytes()
    let heapBefore = pharos_heap_in_use()
    let db = try TSDB.open(directory: directory, logger: logger)
    do {
        // The input label sets are dropped before measuring: only what the TSDB keeps counts.
        let labels = scrapeLabels(targets: targets, seriesPerTarget: seriesPerTarget)
        for round in 0..<120 { scrapeRound(db, labels, round: round, refs: nil) }
    }
    let heapAfter = pharos_heap_in_use()
    let rssAfter = residentBytes()
    print(String(format: "%-34@ %10d series  heap %.0f bytes/series, RSS +%.0f bytes/series (RSS includes freed input)",
                 "rss: 100k series x 120 samples" as NSString, total,
                 Double(Int(heapAfter) - Int(heapBefore)) / Double(total), Double(rssAfter - rssBefore) / Double(total)))
    try db.close()
    let bytes = diskBytes(directory + "/wal")
    print("  WAL bytes per sample: \(String(format: "%.2f", Double(bytes) / Double(120 * total)))")
}
