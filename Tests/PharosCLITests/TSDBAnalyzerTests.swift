import Foundation
import Logging
import PharosCLI
import PharosCore
import PharosTestSupport
import Testing
import TSDB

@Suite(.timeLimit(.minutes(5))) struct TSDBAnalyzerTests {
    /// One XOR chunk holding `first` and `last`.
    static func chunk(_ first: Int64, _ last: Int64) -> ChunkSnapshot {
        var chunk = XORChunk()
        chunk.append(timestamp: first, value: 1)
        chunk.append(timestamp: last, value: 2)
        return ChunkSnapshot(minTime: first, maxTime: last, bytes: chunk.bytes)
    }

    /// The series of `TSDBAnalysisTests.fixture()` written as a block [0, 2h).
    @discardableResult
    static func writeBlock(into parent: String, startingAt offset: Int64 = 0) throws -> BlockMeta {
        let series = TSDBAnalysisTests.fixture().map { one in
            BlockSeries(labels: one.labels, chunks: [chunk(one.minTime + offset, one.maxTime + offset)])
        }
        return try BlockWriter.write(series, into: parent, ulid: ULID(milliseconds: 1_000 + offset),
                                     minTime: offset, maxTime: offset + 7_200_000)
    }

    /// Relative path, size and modification time of every file under `path`.
    static func snapshot(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let manager = FileManager.default
        for relative in manager.subpaths(atPath: path) ?? [] {
            let attributes = try manager.attributesOfItem(atPath: path + "/" + relative)
            out[relative] = "\(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? 0)"
        }
        return out
    }

    @Test func newestBlockIsAnalyzedAsPromtoolDoes() throws {
        try withTemporaryDirectoryBlocking { dir in
            try Self.writeBlock(into: dir, startingAt: 0)
            let newest = try Self.writeBlock(into: dir, startingAt: 7_200_000)
            let before = try Self.snapshot(dir)
            let analysis = try TSDBAnalyzer.analyze(path: dir, limit: 3)
            #expect(analysis.report == TSDBAnalysisTests.expectedReport.replacingOccurrences(of: "01TEST", with: newest.ulid))
            #expect(try Self.snapshot(dir) == before)
        }
    }

    @Test func blockFlagPicksABlockAndUnknownBlockFails() throws {
        try withTemporaryDirectoryBlocking { dir in
            let oldest = try Self.writeBlock(into: dir, startingAt: 0)
            try Self.writeBlock(into: dir, startingAt: 7_200_000)
            let analysis = try TSDBAnalyzer.analyze(path: dir, blockID: oldest.ulid)
            #expect(analysis.blockID == oldest.ulid)
            #expect(analysis.totalSeries == 6)
            #expect(analysis.compaction == nil)
            let extended = try TSDBAnalyzer.analyze(path: dir, blockID: oldest.ulid, extended: true)
            #expect(extended.compaction?.samplesPerChunk == [2, 2, 2, 2, 2, 2])
            #expect(extended.report.contains("\nCompaction analysis:\n\nsamples per float chunk (min/avg/max): 2/2/2\n[ 1, 10]: 6 \(String(repeating: "#", count: 100))\n"))
            #expect(throws: CLIError.self) { try TSDBAnalyzer.analyze(path: dir, blockID: "01ARZ3NDEKTSV4RRFFQ69G5FAV") }
        }
    }

    @Test(arguments: ["truncate", "garbage", "meta"])
    func damagedBlockFails(damage: String) throws {
        try withTemporaryDirectoryBlocking { dir in
            let meta = try Self.writeBlock(into: dir)
            let block = dir + "/" + meta.ulid
            switch damage {
            case "truncate":
                let index = try Data(contentsOf: URL(fileURLWithPath: block + "/index"))
                try index.prefix(index.count / 2).write(to: URL(fileURLWithPath: block + "/index"))
            case "garbage":
                try Data(repeating: 0xAB, count: 64).write(to: URL(fileURLWithPath: block + "/index"))
            default:
                try Data("{\"ulid\": ".utf8).write(to: URL(fileURLWithPath: block + "/meta.json"))
            }
            let error = #expect(throws: CLIError.self) { try TSDBAnalyzer.analyze(path: dir, blockID: meta.ulid) }
            #expect(error?.description.hasPrefix(block) == true)
        }
    }

    @Test func matchRestrictsTheAnalysis() throws {
        try withTemporaryDirectoryBlocking { dir in
            let meta = try Self.writeBlock(into: dir)
            let analysis = try TSDBAnalyzer.analyze(path: dir, limit: 2, match: #"{job="db",__name__=~"up|x"}"#)
            #expect(analysis.report.hasPrefix("""
                Block ID: \(meta.ulid)
                Duration: 2h0m0s
                Total Series: 6
                Matcher: [job="db" __name__=~"up|x"]
                Label names: 3
                Matched series: 2
                Postings (unique label pairs): 4
                Postings entries (total label pairs): 6

                """))
            #expect(analysis.cardinalityMetricNames == [TSDBAnalysis.Entry(2, "up")])
            #expect(analysis.cardinalityLabels == [TSDBAnalysis.Entry(2, "instance"), TSDBAnalysis.Entry(1, "__name__")])
            for broken in [#"{job="db""#, "{job=~\"(\"}", "{"] {
                let error = #expect(throws: CLIError.self) { try TSDBAnalyzer.analyze(path: dir, match: broken) }
                #expect(error?.description.hasPrefix(broken + ": invalid --match selector: ") == true)
            }
        }
    }

    @Test func headIsReplayedFromACopyOfTheWAL() async throws {
        try await withTemporaryDirectory { dir in
            let db = try TSDB.open(directory: dir, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            let appender = db.makeAppender()
            for t in stride(from: Int64(0), through: 600_000, by: 15_000) {
                try appender.append(Labels(["__name__": "up", "job": "api", "instance": "a"]), at: t, value: 1)
                try appender.append(Labels(["__name__": "up", "job": "api", "instance": "b"]), at: t, value: 1)
                if t <= 300_000 {
                    try appender.append(Labels(["__name__": "requests_total", "job": "api", "instance": "a"]), at: t, value: Double(t))
                }
            }
            try await appender.commit()
            try db.close()
            let before = try Self.snapshot(dir)
            let analysis = try TSDBAnalyzer.analyze(path: dir)
            #expect(try Self.snapshot(dir) == before)
            #expect(analysis.blockID == "head")
            #expect(analysis.durationMilliseconds == 600_000)
            #expect(analysis.totalSeries == 3)
            #expect(analysis.labelNames == 3)
            #expect(analysis.cardinalityMetricNames == [TSDBAnalysis.Entry(2, "up"), TSDBAnalysis.Entry(1, "requests_total")])
            #expect(analysis.commonLabelPairs.first == TSDBAnalysis.Entry(3, "job=api"))
            #expect(analysis.report.hasPrefix("Block ID: head\nDuration: 10m0s\nTotal Series: 3\n"))
        }
    }

    @Test func emptyOrMissingFolderFails() throws {
        try withTemporaryDirectoryBlocking { dir in
            let empty = #expect(throws: CLIError.self) { try TSDBAnalyzer.analyze(path: dir) }
            #expect(empty?.description == "\(dir): no blocks and no WAL found")
            let missing = #expect(throws: CLIError.self) { try TSDBAnalyzer.analyze(path: dir + "/nope") }
            #expect(missing?.description == "\(dir)/nope: no such data folder")
            #expect(throws: CLIError.self) { try TSDBAnalyzer.analyze(path: dir, limit: -1) }
        }
    }
}
