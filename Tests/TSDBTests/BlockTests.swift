import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Builds XOR chunks of at most `perChunk` samples from `samples` (ascending timestamps).
func makeChunks(_ samples: [(Int64, Double)], perChunk: Int = 120) -> [ChunkSnapshot] {
    stride(from: 0, to: samples.count, by: perChunk).map { start in
        var chunk = XORChunk()
        let slice = samples[start..<min(start + perChunk, samples.count)]
        for (t, v) in slice { chunk.append(timestamp: t, value: v) }
        return ChunkSnapshot(minTime: slice.first!.0, maxTime: slice.last!.0, bytes: chunk.bytes)
    }
}

func decodeSamples(_ chunks: [ChunkSnapshot]) -> [(Int64, Double)] {
    var out: [(Int64, Double)] = []
    for chunk in chunks {
        var iterator = chunk.makeIterator()
        while iterator.next() { out.append(iterator.current) }
    }
    return out
}

@Suite(.timeLimit(.minutes(5))) struct BlockTests {
    static func series(count: Int, samples: Int, start: Int64 = 0, step: Int64 = 15_000, salt: Double = 0) -> [BlockSeries] {
        (0..<count).map { index in
            let points = (0..<samples).map { (start + Int64($0) * step, Double(index * 1000 + $0) + salt) }
            return BlockSeries(labels: Labels(["__name__": "metric_\(index % 3)", "idx": "\(index)"]), chunks: makeChunks(points))
        }
    }

    @Test func ulidEncodesTimeAndRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        let ulid = ULID(milliseconds: 1_602_237_600_000, using: &generator)
        #expect(ulid.description.count == 26)
        #expect(ulid.milliseconds == 1_602_237_600_000)
        #expect(ULID(ulid.description) == ulid)
        #expect(ULID(ulid.description.lowercased()) == ulid)
        #expect(ULID("01BKGV7JC0RY8A6MACW02A2PJD")?.description == "01BKGV7JC0RY8A6MACW02A2PJD")
        #expect(ULID("01BKGV7JC0RY8A6MACW02A2PJ") == nil)
        #expect(ULID("01BKGV7JC0RY8A6MACW02A2PJU") == nil)   // U is not Crockford
        #expect(ULID("81BKGV7JC0RY8A6MACW02A2PJD") == nil)   // overflows 128 bits
        #expect(ULID(milliseconds: 1, using: &generator) < ULID(milliseconds: 2, using: &generator))
    }

    @Test func writeThenReadRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = Self.series(count: 25, samples: 300)
        let ulid = ULID(milliseconds: 1000)
        let meta = try BlockWriter.write(input.shuffled(), into: directory.path, ulid: ulid, minTime: 0, maxTime: 300 * 15_000,
                                         chunkSegmentSize: 4096)
        #expect(meta.stats == BlockMeta.Stats(numSamples: 25 * 300, numSeries: 25, numChunks: 25 * 3))
        #expect(!PosixFile.isDirectory(directory.path + "/" + ulid.description + ".tmp"))

        let block = try PersistedBlock(directory: directory.path + "/" + ulid.description)
        #expect(block.meta == meta)
        #expect(block.chunkFiles.files.count > 1, "small segment size must cut several chunk files")
        #expect(block.labelNames() == ["__name__", "idx"])
        #expect(block.labelValues("__name__") == ["metric_0", "metric_1", "metric_2"])
        let refs = block.postings("__name__", values: ["metric_1", "metric_2"])
        #expect(refs.count == 16)
        let expected = Dictionary(uniqueKeysWithValues: input.map { ($0.labels, decodeSamples($0.chunks)) })
        for ref in block.allPostings() {
            let (labels, chunks) = try #require(block.series(ref, from: .min, through: .max))
            let got = decodeSamples(chunks), want = try #require(expected[labels])
            #expect(got.map(\.0) == want.map(\.0) && got.map(\.1) == want.map(\.1), "\(labels)")
        }
        // Time filtering keeps only overlapping chunks.
        let first = try #require(block.allPostings().first)
        #expect(block.series(first, from: 0, through: 10)?.chunks.count == 1)
        #expect(block.firstError == nil)

        // meta.json is Prometheus-shaped.
        let json = try String(contentsOfFile: directory.path + "/" + ulid.description + "/meta.json", encoding: .utf8)
        for key in ["\"ulid\"", "\"minTime\"", "\"maxTime\"", "\"numSamples\"", "\"level\" : 1", "\"sources\"", "\"version\" : 1"] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
    }

    @Test func chunkFileBytesMatchPrometheusLayout() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var writer = try ChunkFileWriter(directory: directory.path)
        let ref = try writer.append(encoding: 1, data: [0, 1, 0xAA])
        try writer.finish()
        #expect(ref == 8)
        let bytes = try PosixFile.readAll(directory.path + "/000001")
        let crc = CRC32C.checksum([1, 0, 1, 0xAA])
        #expect(bytes == [0x85, 0xBD, 0x40, 0xDD, 1, 0, 0, 0, 3, 1, 0, 1, 0xAA,
                          UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
    }

    private func writeSmallBlock(in directory: String) throws -> String {
        let ulid = ULID(milliseconds: 5)
        try BlockWriter.write(Self.series(count: 4, samples: 130), into: directory, ulid: ulid, minTime: 0, maxTime: 130 * 15_000)
        return directory + "/" + ulid.description
    }

    private func readAll(_ path: String) throws {
        let block = try PersistedBlock(directory: path)
        for ref in try block.index.allPostings() {
            for chunk in try block.readSeries(ref).chunks {
                var iterator = chunk.makeIterator()
                while iterator.next() {}
                if let error = iterator.error { throw error }
            }
        }
    }

    @Test func corruptedChunkFileIsAnErrorNotACrash() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let block = try writeSmallBlock(in: directory.path)
        let path = block + "/chunks/000001"
        let original = try PosixFile.readAll(path)
        // Bytes 5-7 are header padding, which neither Prometheus nor Pharos checks.
        for offset in stride(from: 0, to: original.count, by: 7) where !(5..<8).contains(offset) {
            var damaged = original
            damaged[offset] ^= 0x10
            try BlockFiles.writeFile(path, damaged)
            #expect(throws: TSDBError.self, "flip at \(offset)") { try readAll(block) }
        }
        for length in stride(from: 0, to: original.count, by: 13) {
            try BlockFiles.writeFile(path, Array(original.prefix(length)))
            #expect(throws: TSDBError.self, "cut at \(length)") { try readAll(block) }
        }
        try BlockFiles.writeFile(path, original)
        try readAll(block)
    }

    @Test func corruptedIndexOrMetaIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let block = try writeSmallBlock(in: directory.path)
        let index = try PosixFile.readAll(block + "/index")
        try BlockFiles.writeFile(block + "/index", Array(index.dropLast(10)))
        #expect(throws: TSDBError.self) { try PersistedBlock(directory: block) }
        try BlockFiles.writeFile(block + "/index", index)

        let meta = try PosixFile.readAll(block + "/meta.json")
        for broken in ["{", "{\"ulid\": \"x\", \"minTime\": 0, \"maxTime\": 1, \"stats\": {}, \"compaction\": {\"level\": 1, \"sources\": []}, \"version\": 1}",
                       String(decoding: meta, as: UTF8.self).replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 7")] {
            try BlockFiles.writeFile(block + "/meta.json", Array(broken.utf8))
            #expect(throws: TSDBError.self, "\(broken)") { try PersistedBlock(directory: block) }
        }
        try PosixFile.remove(block + "/meta.json")
        #expect(throws: TSDBError.self) { try PersistedBlock(directory: block) }
    }

    @Test func streamingWriterRejectsOutOfOrderSeries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let chunks = makeChunks([(1, 1)])
        #expect(throws: TSDBError.self) {
            try BlockWriter.write(into: directory.path, ulid: ULID(milliseconds: 1), minTime: 0, maxTime: 2) { (sink: inout BlockSeriesSink) throws(TSDBError) in
                try sink.add(BlockSeries(labels: Labels(["a": "2"]), chunks: chunks))
                try sink.add(BlockSeries(labels: Labels(["a": "1"]), chunks: chunks))
            }
        }
        #expect(try PosixFile.list(directory.path) == [])
        let meta = try BlockWriter.write(into: directory.path, ulid: ULID(milliseconds: 2), minTime: 0, maxTime: 2) { (sink: inout BlockSeriesSink) throws(TSDBError) in
            try sink.add(BlockSeries(labels: Labels(["a": "1"]), chunks: chunks))
            try sink.add(BlockSeries(labels: Labels(["a": "1", "b": "0"]), chunks: []))   // skipped: no chunks
            try sink.add(BlockSeries(labels: Labels(["a": "2"]), chunks: chunks))
        }
        #expect(meta.stats == BlockMeta.Stats(numSamples: 2, numSeries: 2, numChunks: 2))
    }

    @Test func duplicateSeriesAreRejectedAndLeaveNoFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let one = Self.series(count: 1, samples: 5)
        let ulid = ULID(milliseconds: 9)
        #expect(throws: TSDBError.self) {
            try BlockWriter.write(one + one, into: directory.path, ulid: ulid, minTime: 0, maxTime: 100_000)
        }
        #expect(try PosixFile.list(directory.path) == [])
    }
}
