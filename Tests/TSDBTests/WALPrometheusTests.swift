import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// We replay a WAL that the real Prometheus 2.42 wrote (snappy-compressed by default), both
/// with the bare WAL reader and by opening its data folder as a TSDB.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct WALPrometheusTests {
    /// Series and samples records found in the bytes of one segment (never repairs anything).
    static func scan(_ bytes: [UInt8]) -> (records: [WALRecord], compressedFragments: Int) {
        var records: [WALRecord] = []
        _ = bytes.withUnsafeBytes { buffer in
            WALSegmentScanner.scan(buffer) { record, _ in
                if let decoded = try? WALRecord.decode(record) { records.append(decoded) }
            }
        }
        let compressed = WALCompressionTests.fragmentTypes(bytes).filter { $0 & WALFormat.snappyFlag != 0 }.count
        return (records, compressed)
    }

    @Test func replaysTheCompressedWALPrometheusWrote() async throws {
        try await withTemporaryDirectory { dir in
            // A target nobody listens on: every scrape still writes up, scrape_duration_seconds, ….
            let deadPort = try Peers.freePort()
            let config = """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: dead
                    static_configs:
                      - targets: ["127.0.0.1:\(deadPort)"]

                """
            try config.write(toFile: dir + "/prometheus.yml", atomically: true, encoding: .utf8)
            let prometheus = try PeerProcess(Peers.prometheus, [
                "--config.file=" + dir + "/prometheus.yml", "--storage.tsdb.path=" + dir + "/data",
                "--web.listen-address=127.0.0.1:\(try Peers.freePort())",
            ], logPath: dir + "/prometheus.log")
            defer { prometheus.stop() }
            // Wait (blocking: a busy cooperative pool must not stretch the timeout) for three
            // scrapes' worth of samples records in the first segment.
            let segment = dir + "/data/wal/00000000"
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, prometheus.isRunning {
                let written = Self.scan((try? PosixFile.readAll(segment)) ?? []).records
                if written.filter({ if case .samples = $0 { true } else { false } }).count >= 3 { break }
                usleep(200_000)
            }
            #expect(prometheus.isRunning, "\(prometheus.log)")
            prometheus.stop()
            #expect(prometheus.log.contains("Server stopped") || !prometheus.isRunning)

            let bytes = try PosixFile.readAll(segment)
            let (records, compressedFragments) = Self.scan(bytes)
            #expect(compressedFragments > 0, "Prometheus 2.42 compresses its WAL by default")

            // The bare reader sees the same records, with no repair needed.
            var replayed: [WALRecord] = []
            let report = try WAL(directory: dir + "/data/wal").replay { replayed.append($0) }
            #expect(report.repair == nil)
            #expect(replayed.count >= records.count && Array(replayed.prefix(records.count)) == records)
            let series = replayed.flatMap { record -> [RecordSeries] in if case .series(let s) = record { s } else { [] } }
            let up = try #require(series.first { $0.labels == Labels(["__name__": "up", "instance": "127.0.0.1:\(deadPort)", "job": "dead"]) })
            let upSamples = replayed.flatMap { record -> [RecordSample] in
                if case .samples(let s) = record { s.filter { $0.ref == up.ref } } else { [] }
            }
            #expect(upSamples.count >= 3)
            #expect(upSamples.allSatisfy { $0.value == 0 })

            // The whole data folder opens as a Pharos TSDB and answers from the replayed head.
            let db = try TSDB.open(directory: dir + "/data", logger: DBTests.quiet)
            defer { try? db.close() }
            let values = try await db.withQuerier(from: .min, through: .max) { querier in
                var set = try await querier.select([.equal("__name__", "up")], hints: nil, sorted: true)
                var values: [Double] = []
                while let series = try set.next() {
                    var iterator = series.makeIterator()
                    while iterator.next() { values.append(iterator.current.value) }
                }
                return values
            }
            #expect(values.count >= upSamples.count && values.allSatisfy { $0 == 0 })
        }
    }
}
