import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// XOR chunks checked against Prometheus itself, both ways: chunks Prometheus encodes must
/// decode to what promtool dumps, and chunks we encode must dump to what we appended.
@Suite(.timeLimit(.minutes(5)))
struct ChunkPromtoolTests {
    typealias Dump = [String: [(timestamp: Int64, value: Double)]]

    /// Go's labels.String: `{a="1", b="2"}`.
    static func key(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\(goQuote($0.value))" }.joined(separator: ", ") + "}"
    }

    /// Parses `promtool tsdb dump` lines: `<labels> <value> <timestamp>`.
    static func parseDump(_ text: String) throws -> Dump {
        var out: Dump = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("{") {
            let parts = line.split(separator: " ")
            let timestamp = try #require(Int64(parts[parts.count - 1]))
            let value = try #require(Double(String(parts[parts.count - 2]).replacingOccurrences(of: "+Inf", with: "inf")))
            out[parts.dropLast(2).joined(separator: " "), default: []].append((timestamp, value))
        }
        return out
    }

    static func same(_ a: [(timestamp: Int64, value: Double)], _ b: [(timestamp: Int64, value: Double)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.timestamp == $1.timestamp && ($0.value.isNaN ? $1.value.isNaN : $0.value.bitPattern == $1.value.bitPattern)
        }
    }

    /// Irregular timestamps (every delta-of-delta bucket) and awkward values.
    static func series(seed: UInt64) -> [(timestamp: Int64, value: Double)] {
        var rng = SplitMix64(seed: seed)
        var t: Int64 = 1_700_000_000_000
        var out: [(Int64, Double)] = []
        for index in 0..<700 {
            switch index % 9 {
            case 0: t += Int64.random(in: 1...3, using: &rng)
            case 1: t += Int64.random(in: 8000...9000, using: &rng)
            case 2: t += Int64.random(in: 60_000...70_000, using: &rng)
            case 3: t += Int64.random(in: 500_000...600_000, using: &rng)
            case 4: t += Int64.random(in: 1_000_000...2_000_000, using: &rng)
            case 6: t += 15_000 + 8192        // dod +8192: the 14-bit bucket's edge
            case 7: t += 15_000               // dod -8192: just outside it
            case 8: t += 15_000 + 65_536      // dod +65536: the 17-bit bucket's edge
            default: t += 15_000
            }
            let value: Double
            switch index % 13 {
            case 0: value = .infinity
            case 1: value = -.infinity
            case 2: value = .nan
            case 3: value = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)
            case 4: value = -Double(index) * 1e-300
            default: value = Double(index % 5) + 0.25
            }
            out.append((t, value))
        }
        return out
    }

    @Test func weDecodeChunksPrometheusEncoded() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var input = ""
        for (index, samples) in [Self.series(seed: 1), Self.series(seed: 2)].enumerated() {
            for sample in samples {
                // OpenMetrics timestamps are seconds; three decimals keep milliseconds exact.
                let seconds = "\(sample.timestamp / 1000).\(String(format: "%03lld", sample.timestamp % 1000))"
                let value = sample.value.isNaN ? "NaN" : sample.value == .infinity ? "+Inf" : sample.value == -.infinity ? "-Inf"
                    : String(format: "%.17g", sample.value)
                input += "m{s=\"\(index)\"} \(value) \(seconds)\n"
            }
        }
        try (input + "# EOF\n").write(toFile: directory.path + "/in.om", atomically: true, encoding: .utf8)
        try BlockPromtoolTests.run(["tsdb", "create-blocks-from", "openmetrics", directory.path + "/in.om", directory.path + "/db"])
        try FileManager.default.createDirectory(atPath: directory.path + "/db/wal", withIntermediateDirectories: true)
        let expected = try Self.parseDump(try BlockPromtoolTests.run(["tsdb", "dump", "--min-time=0", "--max-time=9000000000000", directory.path + "/db"]))
        #expect(expected.values.map(\.count).reduce(0, +) == 1400)

        var ours: Dump = [:]
        for block in try BlockDirectory.openAll(in: directory.path + "/db") {
            for ref in block.allPostings() {
                let (labels, chunks) = try block.readSeries(ref)
                var iterator = ChunkSeriesIterator(chunks: chunks, from: .min, through: .max)
                while iterator.next() { ours[Self.key(labels), default: []].append(iterator.current) }
            }
        }
        #expect(Set(ours.keys) == Set(expected.keys))
        for (key, samples) in expected { #expect(Self.same(ours[key] ?? [], samples), "\(key)") }
    }

    @Test func prometheusDecodesChunksWeEncoded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = TSDBOptions()
        options.blockRange = 100 * 24 * 3_600_000 // one block holds everything
        let db = try TSDB.open(directory: directory.path + "/ours", options: options, logger: DBTests.quiet)
        var appended: Dump = [:]
        let app = db.makeAppender()
        for (index, samples) in [Self.series(seed: 3), Self.series(seed: 4)].enumerated() {
            let set = labels(["__name__": "m", "s": "\(index)"])
            for sample in samples {
                try app.append(set, at: sample.timestamp, value: sample.value)
                appended[Self.key(set), default: []].append(sample)
            }
        }
        try await app.commit()
        let block = try #require(try HeadCompactor.write(HeadReader(head: db.head), range: 0..<Int64.max, into: directory.path + "/only"))
        try db.close()
        try FileManager.default.createDirectory(atPath: directory.path + "/only/wal", withIntermediateDirectories: true)
        #expect(ULID(block) != nil)
        let dumped = try Self.parseDump(try BlockPromtoolTests.run(["tsdb", "dump", "--min-time=0", "--max-time=9000000000000", directory.path + "/only"]))
        #expect(Set(dumped.keys) == Set(appended.keys))
        for (key, samples) in appended { #expect(Self.same(dumped[key] ?? [], samples), "\(key)") }
    }
}
