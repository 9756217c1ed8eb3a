import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct IndexTests {
    static func sampleSeries() -> [(Labels, [ChunkMeta])] {
        var list: [(Labels, [ChunkMeta])] = []
        for job in ["api", "db", "näme"] {
            for instance in 0..<7 {
                let labels = Labels(["__name__": "up", "job": job, "instance": "host-\(instance)"])
                let chunks = (0..<(instance % 3)).map { index in
                    ChunkMeta(minTime: Int64(index * 1000 - 500), maxTime: Int64(index * 1000 + 400),
                              ref: UInt64(index) << 32 | UInt64(8 + instance * 100 + index * 10))
                }
                list.append((labels, chunks))
            }
        }
        list.append((Labels(["__name__": "build_info", "version": "1.0"]), [ChunkMeta(minTime: -5, maxTime: 7, ref: 8)]))
        return list.sorted { $0.0 < $1.0 }
    }

    static func encodedIndex() throws -> [UInt8] {
        var writer = IndexWriter()
        for (labels, chunks) in sampleSeries() { try writer.add(labels, chunks: chunks) }
        return writer.encoded()
    }

    static func open(_ bytes: [UInt8], in directory: String) throws -> IndexReader {
        let path = directory + "/index"
        try BlockFiles.writeFile(path, bytes)
        return try IndexReader(path: path)
    }

    @Test func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reader = try Self.open(try Self.encodedIndex(), in: directory.path)
        let series = Self.sampleSeries()
        let all = try reader.allPostings()
        #expect(all.count == series.count)
        #expect(all == all.sorted())
        for (ref, (labels, chunks)) in zip(all, series) {
            let read = try reader.series(ref)
            #expect(read.labels == labels)
            #expect(read.chunks == chunks)
        }
        #expect(reader.labelNames == ["__name__", "instance", "job", "version"])
        #expect(reader.labelValues("job") == ["api", "db", "näme"])
        #expect(reader.labelValues("missing") == [])
        let api = try reader.postings("job", "api")
        #expect(try api.map { try reader.series($0).labels["job"] } == Array(repeating: "api", count: 7))
        #expect(try reader.postings("job", "nope") == [])
        #expect(try reader.postings("__name__", "up").count == 21)
        #expect(reader.symbols == reader.symbols.sorted { $0.bytewiseLess($1) })
    }

    @Test func headerBytesMatchPrometheus() throws {
        let bytes = try Self.encodedIndex()
        #expect(Array(bytes.prefix(5)) == [0xBA, 0xAA, 0xD7, 0x00, 0x02])
        // Symbol table right after the header; TOC says so.
        let toc = bytes.suffix(52)
        #expect(Array(toc.prefix(8)) == [0, 0, 0, 0, 0, 0, 0, 5])
    }

    @Test func emptyIndexRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let reader = try Self.open(IndexWriter().encoded(), in: directory.path)
        #expect(try reader.allPostings() == [])
        #expect(reader.labelNames == [])
    }

    @Test func writerRejectsUnsortedSeriesAndOverlappingChunks() throws {
        var writer = IndexWriter()
        try writer.add(Labels(["a": "2"]), chunks: [])
        #expect(throws: TSDBError.self) { try writer.add(Labels(["a": "1"]), chunks: []) }
        #expect(throws: TSDBError.self) { try writer.add(Labels(["a": "2"]), chunks: []) }
        #expect(throws: TSDBError.self) {
            try writer.add(Labels(["a": "3"]), chunks: [ChunkMeta(minTime: 0, maxTime: 10, ref: 8), ChunkMeta(minTime: 5, maxTime: 20, ref: 30)])
        }
    }

    /// Reads everything an index offers; any TSDBError is fine, a crash is not.
    static func readEverything(_ reader: IndexReader) throws {
        for ref in try reader.allPostings() { _ = try reader.series(ref) }
        for name in reader.labelNames {
            for value in reader.labelValues(name) {
                for ref in try reader.postings(name, value) { _ = try reader.series(ref) }
            }
        }
    }

    @Test func truncatedIndexIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try Self.encodedIndex()
        for length in stride(from: 0, to: bytes.count, by: 3) {
            #expect(throws: TSDBError.self, "length \(length)") {
                let reader = try Self.open(Array(bytes.prefix(length)), in: directory.path)
                try Self.readEverything(reader)
            }
        }
    }

    @Test func corruptedIndexNeverCrashesAndIsDetected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try Self.encodedIndex()
        var undetected = 0
        for offset in bytes.indices {
            var damaged = bytes
            damaged[offset] ^= 0x20
            do {
                let reader = try Self.open(damaged, in: directory.path)
                try Self.readEverything(reader)
                undetected += 1
            } catch let error as TSDBError {
                #expect(error.kind == .corruptBlock, "flip at \(offset): \(error)")
            }
        }
        // Only padding bytes and the legacy label index / label offset table go unchecked.
        #expect(undetected < bytes.count / 4)
    }
}
