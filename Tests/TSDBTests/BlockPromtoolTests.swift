import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Byte-compatibility against the real Prometheus tooling installed on the machine.
@Suite(.timeLimit(.minutes(5)))
struct BlockPromtoolTests {
    static let promtool = Peers.promtool

    static let openMetrics = """
        # TYPE http_requests_total counter
        http_requests_total{code="200",job="api"} 1 1700000000
        http_requests_total{code="200",job="api"} 5 1700000015
        http_requests_total{code="200",job="api"} 9 1700000030
        http_requests_total{code="500",job="api"} 2 1700000000
        http_requests_total{code="500",job="api"} 3.5 1700000030
        up{instance="a:1",job="api"} 1 1700000000
        up{instance="a:1",job="api"} 0 1700000060
        # EOF

        """

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TSDBError(.io, "promtool \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
        return text
    }

    /// Makes a Prometheus-written block and returns its folder.
    static func prometheusBlock(in directory: String) throws -> String {
        let input = directory + "/om.txt"
        try openMetrics.write(toFile: input, atomically: true, encoding: .utf8)
        try run(["tsdb", "create-blocks-from", "openmetrics", input, directory + "/prom"])
        let name = try #require(try PosixFile.list(directory + "/prom").first { ULID($0) != nil })
        return directory + "/prom/" + name
    }

    @Test func readsABlockWrittenByPrometheus() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let block = try PersistedBlock(directory: try Self.prometheusBlock(in: directory.path))
        #expect(block.meta.stats.numSeries == 3 && block.meta.stats.numSamples == 7)
        #expect(block.labelValues("code") == ["200", "500"])
        let refs = block.postings("code", values: ["500"])
        #expect(refs.count == 1)
        let (labels, chunks) = try block.readSeries(refs[0])
        #expect(labels == Labels(["__name__": "http_requests_total", "code": "500", "job": "api"]))
        let samples = decodeSamples(chunks)
        #expect(samples.map(\.0) == [1_700_000_000_000, 1_700_000_030_000])
        #expect(samples.map(\.1) == [2, 3.5])
    }

    @Test func rewritingAPrometheusBlockGivesIdenticalIndexAndChunkBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try Self.prometheusBlock(in: directory.path)
        let block = try PersistedBlock(directory: source)
        let series = try block.index.allPostings().map { ref throws in
            let (labels, chunks) = try block.readSeries(ref)
            return BlockSeries(labels: labels, chunks: chunks)
        }
        let ulid = ULID(milliseconds: 1)
        try BlockWriter.write(series, into: directory.path + "/ours", ulid: ulid,
                              minTime: block.meta.minTime, maxTime: block.meta.maxTime)
        let ours = directory.path + "/ours/" + ulid.description
        #expect(try PosixFile.readAll(ours + "/index") == PosixFile.readAll(source + "/index"))
        #expect(try PosixFile.readAll(ours + "/chunks/000001") == PosixFile.readAll(source + "/chunks/000001"))
        #expect(try PosixFile.readAll(ours + "/tombstones") == PosixFile.readAll(source + "/tombstones"))
    }

    @Test func promtoolAnalyzesAndDumpsOurBlock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ulid = ULID(milliseconds: 1_700_000_000_000)
        let points: [(Int64, Double)] = (0..<250).map { (1_700_000_000_000 + Int64($0) * 15_000, Double($0) * 1.5) }
        let series = [
            BlockSeries(labels: Labels(["__name__": "up", "job": "node"]), chunks: makeChunks(points)),
            BlockSeries(labels: Labels(["__name__": "up", "job": "api"]), chunks: makeChunks(Array(points.prefix(3)))),
        ]
        try BlockWriter.write(series, into: directory.path, ulid: ulid,
                              minTime: points.first!.0, maxTime: points.last!.0 + 1)
        try PosixFile.makeDirectory(directory.path + "/wal")   // promtool 2.x dump opens the WAL too
        let analysis = try Self.run(["tsdb", "analyze", directory.path, ulid.description])
        #expect(analysis.contains("\nSeries: 2\n") && analysis.contains("Label names: 2"), "\(analysis)")
        let dump = try Self.run(["tsdb", "dump", "--min-time=0", "--max-time=9000000000000", directory.path])
        let lines = dump.split(separator: "\n")
        #expect(lines.count == 253, "\(dump.prefix(500))")
        #expect(lines.first == #"{__name__="up", job="api"} 0 1700000000000"#)
        #expect(lines.contains(#"{__name__="up", job="node"} 373.5 1700003735000"#))
    }
}

extension BlockPromtoolTests {
    @Test func promtoolReadsACompactedBlock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let base: Int64 = 1_700_000_000_000
        func points(_ range: Range<Int>) -> [(Int64, Double)] { range.map { (base + Int64($0) * 10_000, Double($0)) } }
        let labels = Labels(["__name__": "x", "k": "v"])
        let inputs = "\(directory.path)/inputs"
        try BlockWriter.write([BlockSeries(labels: labels, chunks: makeChunks(points(0..<100)))], into: inputs,
                              ulid: ULID(milliseconds: 1), minTime: base, maxTime: base + 1_000_000)
        try BlockWriter.write([BlockSeries(labels: labels, chunks: makeChunks(points(50..<150)))], into: inputs,
                              ulid: ULID(milliseconds: 2), minTime: base + 500_000, maxTime: base + 1_500_000)
        let blocks = try BlockDirectory.openAll(in: inputs)
        let ulid = ULID(milliseconds: 3)
        let meta = try #require(try BlockCompactor.compact(blocks, into: directory.path + "/db", ulid: ulid))
        #expect(meta.compaction.level == 2)
        try PosixFile.makeDirectory(directory.path + "/db/wal")
        let analysis = try Self.run(["tsdb", "analyze", directory.path + "/db", ulid.description])
        #expect(analysis.contains("\nSeries: 1\n"), "\(analysis)")
        let dump = try Self.run(["tsdb", "dump", "--min-time=0", "--max-time=9000000000000", directory.path + "/db"])
        #expect(dump.split(separator: "\n").count == 150)
    }
}

/// Prometheus replays a WAL written by Pharos (promtool's dump opens the head from `wal/`).
@Suite(.timeLimit(.minutes(5)))
struct WALPromtoolTests {
    /// 80 000 characters that snappy halves: the record still spans two pages when compressed.
    static let room: String = {
        var state: UInt64 = 3
        let half = String((0..<40_000).map { _ -> Character in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Character(Unicode.Scalar(UInt8(97 + (state >> 33) % 26)))
        })
        return half + half
    }()

    @Test(arguments: [WALCompression.none, .snappy])
    func promtoolReplaysOurWAL(compression: WALCompression) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path + "/wal", segmentSize: WALFormat.pageSize, compression: compression)
        let base: Int64 = 1_700_000_000_000
        try wal.log([.series([
            RecordSeries(ref: 1, labels: Labels(["__name__": "up", "job": "node"])),
            RecordSeries(ref: 2, labels: Labels(["__name__": "temp", "room": Self.room])),
        ])])
        for step in 0..<200 {
            try wal.log([.samples([
                RecordSample(ref: 1, timestamp: base + Int64(step) * 1000, value: Double(step)),
                RecordSample(ref: 2, timestamp: base + Int64(step) * 1000, value: -Double(step) / 4),
            ])])
        }
        try wal.close()
        #expect(try wal.segments().count > 1)
        let types = try wal.segments().flatMap {
            WALCompressionTests.fragmentTypes(try PosixFile.readAll(directory.path + "/wal/" + WALSegmentName.name($0)))
        }
        #expect(types.contains { $0 & WALFormat.snappyFlag != 0 } == (compression == .snappy))
        let dump = try BlockPromtoolTests.run(["tsdb", "dump", "--min-time=0", "--max-time=9000000000000", directory.path])
        let lines = dump.split(separator: "\n")
        #expect(lines.count == 400, "\(dump.suffix(300))")
        #expect(lines.contains(#"{__name__="up", job="node"} 199 1700000199000"#))
        #expect(lines.filter { $0.hasPrefix(#"{__name__="temp""#) }.count == 200)
    }
}
