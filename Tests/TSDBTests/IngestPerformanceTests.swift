import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Behaviour the ingest optimisations must preserve: the fast bit writer, framing from a raw
/// buffer, compact closed chunks, label interning and hash-once series lookup.
@Suite(.timeLimit(.minutes(10)))
struct IngestPerformanceTests {
    /// Reference: one bit at a time, as the format defines it.
    private static func bitByBit(_ writes: [(UInt64, Int)]) -> [UInt8] {
        var stream = BitStreamWriter()
        for (value, count) in writes {
            for position in stride(from: count - 1, through: 0, by: -1) { stream.writeBit((value >> UInt64(position)) & 1 == 1) }
        }
        return stream.bytes
    }

    @Test(arguments: [1, 2, 3, 42])
    func writeBitsMatchesBitByBitWriting(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var writes: [(UInt64, Int)] = []
        for _ in 0..<500 {
            let count = Int.random(in: 0...64, using: &random)
            writes.append((UInt64.random(in: .min ... .max, using: &random), count))
        }
        var fast = BitStreamWriter()
        for (value, count) in writes { fast.writeBits(value, count: count) }
        let masked = writes.map { ($0.1 == 64 ? $0.0 : $0.0 & ((1 << UInt64($0.1)) - 1), $0.1) }
        #expect(fast.bytes == Self.bitByBit(masked))
        #expect(fast.freeBits == (8 - writes.reduce(0) { $0 + $1.1 } % 8) % 8)
    }

    @Test func writeBitsIgnoresBitsAboveCount() {
        var stream = BitStreamWriter()
        stream.writeBit(true)
        stream.writeBits(0xFFFF_FFFF_FFFF_FF00, count: 4) // low four bits are zero
        stream.writeBits(0b101, count: 3)
        #expect(stream.bytes == [0b1000_0101])
        #expect(stream.freeBits == 0)
    }

    @Test func writerGrowsByHalfNotByDoubling() {
        var stream = BitStreamWriter(bytes: [0, 0], reservingCapacity: 128)
        for _ in 0..<300 { stream.writeBits(0xA5, count: 8) }
        #expect(stream.bytes.count == 302)
        #expect(stream.bytes.capacity < 302 * 3 / 2 + 32)
        #expect(stream.bytes.dropFirst(2).allSatisfy { $0 == 0xA5 })
    }

    @Test func compactBytesEqualBytes() {
        var chunk = XORChunk()
        for index in 0..<120 { chunk.append(timestamp: Int64(index) * 15_000, value: Double(index % 7) * 1.5) }
        #expect(chunk.compactBytes == chunk.bytes)
        var iterator = XORIterator(bytes: chunk.compactBytes)
        var count = 0
        while iterator.next() { count += 1 }
        #expect(count == 120)
        #expect(iterator.error == nil)
    }

    @Test(arguments: [0, 10, 32 * 1024 - 7, 32 * 1024, 100_000])
    func rawBufferFramingMatchesCollectionFraming(length: Int) {
        let record = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var viaCollection = WALPageLayout(segmentSize: WALFormat.defaultSegmentSize, segmentOffset: 100)
        var viaBuffer = viaCollection
        var expected: [UInt8] = []
        var actual: [UInt8] = []
        viaCollection.append(record: record[...].lazy.map { $0 }, into: &expected) // not contiguous
        record.withUnsafeBytes { viaBuffer.append(record: $0, into: &actual) }
        #expect(actual == expected)
        #expect(viaBuffer == viaCollection)
        #expect(actual.count >= length + WALFormat.headerSize)
    }

    @Test func internedLabelsAreEqualAndShareLongStrings() {
        let symbols = SymbolTable()
        let long = "instance-name-longer-than-fifteen-bytes:9100"
        let first = symbols.intern(Labels(["instance": String(long.utf8), "job": "node"]))
        let second = symbols.intern(Labels(["instance": String(long.utf8), "job": "api"]))
        #expect(first == Labels(["instance": long, "job": "node"]))
        #expect(second.value(of: "instance") == long)
        #expect(symbols.count == 1) // "job", "node", "api" and "instance" are inline strings
        symbols.retain(only: [second])
        #expect(symbols.count == 1)
        symbols.retain(only: [Labels(["job": "node"])])
        #expect(symbols.count == 0)
    }

    @Test func seriesAreFoundByEqualLabelsBuiltSeparately() {
        let series = StripeSeries(stripes: 4)
        let labels = Labels(["__name__": "a_metric_with_a_long_name", "instance": "host-1.example.internal:9100"])
        var next: UInt64 = 1
        let (created, isNew) = series.getOrCreate(labels, logged: false) { defer { next += 1 }; return next }
        #expect(isNew)
        let rebuilt = Labels(["instance": "host-1.example.internal:\(9100)", "__name__": "a_metric_with_a_long_name"])
        #expect(series.get(rebuilt) === created)
        let (again, isNewAgain) = series.getOrCreate(rebuilt, logged: false) { defer { next += 1 }; return next }
        #expect(!isNewAgain && again === created)
        #expect(series.get(Labels(["__name__": "other"])) == nil)
        series.remove([created])
        #expect(series.get(labels) == nil && series.get(created.ref.raw) == nil)
    }

    @Test func appendByLabelsOfAnExistingSeriesReusesIt() async throws {
        let head = Head()
        let appender = head.makeAppender()
        let labels = Labels(["__name__": "up", "instance": "host-1.example.internal:9100"])
        let ref = try appender.append(labels, at: 1000, value: 1)
        try appender.commitNow()
        let second = head.makeAppender()
        let again = try second.append(Labels(["instance": "host-1.example.internal:9100", "__name__": "up"]), at: 2000, value: 2)
        try second.commitNow()
        #expect(again == ref)
        #expect(head.stats.numSeries == 1)
        #expect(head.stats.samplesAppended == 2)
        #expect(head.minTime == 1000 && head.maxTime == 2000)
    }
}

@Suite(.timeLimit(.minutes(10)))
struct BitReaderFastPathTests {
    @Test(arguments: [5, 6, 7])
    func readBitsMatchesWhatWasWrittenAtEveryAlignment(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var writer = BitStreamWriter()
        var writes: [(UInt64, Int)] = []
        for _ in 0..<400 {
            let count = Int.random(in: 0...64, using: &random)
            let value = UInt64.random(in: .min ... .max, using: &random)
            let masked = count == 64 ? value : value & ((1 << UInt64(count)) - 1)
            writes.append((masked, count))
            writer.writeBits(masked, count: count)
        }
        var reader = BitStreamReader(bytes: writer.bytes)
        for (value, count) in writes { #expect(reader.readBits(count) == value) }
        #expect(reader.remainingBits == writer.freeBits)
        #expect(reader.readBits(writer.freeBits + 1) == nil) // past the end
    }
}
