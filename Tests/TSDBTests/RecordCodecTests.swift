import PharosCore
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct RecordCodecTests {
    // RFC 3720 appendix B.4 vectors, plus the common "123456789" check value.
    static let crcVectors: [([UInt8], UInt32)] = [
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        ((0..<32).map { UInt8($0) }, 0x46DD_794E),
        ((0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),
        (Array("123456789".utf8), 0xE306_9283),
        ([], 0),
    ]

    @Test(arguments: crcVectors)
    func crc32cVectors(bytes: [UInt8], want: UInt32) {
        #expect(CRC32C.checksum(bytes) == want)
    }

    @Test func crc32cIncrementalMatchesWhole() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let partial = CRC32C.update(CRC32C.checksum(bytes[..<split]), bytes[split...])
            #expect(partial == CRC32C.checksum(bytes), "split at \(split)")
        }
    }

    @Test(arguments: [Int64(0), 1, -1, 63, -64, 64, 300, -300, .max, .min])
    func varintRoundTrip(value: Int64) throws {
        var writer = ByteWriter()
        writer.putVarint(value)
        writer.putUvarint(UInt64(bitPattern: value))
        let (signed, unsigned, atEnd) = try writer.bytes.withUnsafeBytes { buffer throws in
            var reader = ByteReader(buffer)
            return (try reader.varint(), try reader.uvarint(), reader.isAtEnd)
        }
        #expect(signed == value)
        #expect(unsigned == UInt64(bitPattern: value))
        #expect(atEnd)
    }

    @Test func varintOverflowAndTruncationThrow() {
        let overflow = [UInt8](repeating: 0xFF, count: 10) + [0x01]
        let truncated: [UInt8] = [0x80, 0x80]
        for bytes in [overflow, truncated] {
            bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer)
                #expect(throws: ByteReader.Failure.self) { try reader.uvarint() }
            }
        }
    }

    static let records: [WALRecord] = [
        .series([
            RecordSeries(ref: 1, labels: Labels(["__name__": "up", "job": "node"])),
            RecordSeries(ref: 9_000_000_000, labels: Labels(["__name__": "μ_metric", "ünï": "cödé"])),
            RecordSeries(ref: 3, labels: .empty),
        ]),
        .series([]),
        .samples([]),
        .samples([RecordSample(ref: 5, timestamp: 1_700_000_000_000, value: 1.5)]),
        .samples([
            RecordSample(ref: 10, timestamp: 1000, value: 1),
            RecordSample(ref: 2, timestamp: -5000, value: -0.0),
            RecordSample(ref: .max, timestamp: .max, value: .infinity),
            RecordSample(ref: 0, timestamp: .min, value: StaleNaN.value),
            RecordSample(ref: 11, timestamp: 1001, value: .nan),
        ]),
        .tombstones([]),
        .tombstones([
            RecordTombstone(ref: 7, interval: TimeInterval(1000, 2000)),
            RecordTombstone(ref: .max, interval: TimeInterval(.min, .max)),
            RecordTombstone(ref: 7, interval: TimeInterval(-5, -5)),
        ]),
        .exemplars([]),
        .exemplars([
            RecordExemplar(ref: 4, timestamp: 1_700_000_000_000, value: 0.25, labels: Labels(["trace_id": "abc"])),
            RecordExemplar(ref: 1, timestamp: 1_699_999_999_000, value: -.infinity, labels: .empty),
            RecordExemplar(ref: 9, timestamp: .max, value: .nan, labels: Labels(["span_id": "ü", "trace_id": "x"])),
        ]),
    ]

    @Test(arguments: records)
    func recordRoundTrip(record: WALRecord) throws {
        #expect(try WALRecord.decode(record.encoded()) == record)
    }

    @Test func samplesEncodingMatchesPrometheusLayout() {
        let bytes = WALRecord.samples([
            RecordSample(ref: 2, timestamp: 100, value: 1),
            RecordSample(ref: 1, timestamp: 101, value: 2),
        ]).encoded()
        let want: [UInt8] = [2]
            + [0, 0, 0, 0, 0, 0, 0, 2] + [0, 0, 0, 0, 0, 0, 0, 100]
            + [0, 0] + [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]
            + [1, 2] + [0x40, 0, 0, 0, 0, 0, 0, 0]   // zig-zag: -1 → 1, +1 → 2
        #expect(bytes == want)
    }

    @Test func seriesEncodingMatchesPrometheusLayout() {
        let bytes = WALRecord.series([RecordSeries(ref: 7, labels: Labels(["a": "b"]))]).encoded()
        #expect(bytes == [1, 0, 0, 0, 0, 0, 0, 0, 7, 1, 1, UInt8(ascii: "a"), 1, UInt8(ascii: "b")])
    }

    @Test func unsupportedPrometheusTypesDecodeToNil() throws {
        for type in UInt8(5)...10 { #expect(try WALRecord.decode([type, 1, 2, 3]) == nil) }
    }

    /// Prometheus' `Encoder.Tombstones`: type 3, then per stone BE64 ref and zig-zag varints.
    @Test func tombstonesEncodingMatchesPrometheusLayout() throws {
        let record = WALRecord.tombstones([RecordTombstone(ref: 7, interval: TimeInterval(-1, 64))])
        #expect(record.encoded() == [3, 0, 0, 0, 0, 0, 0, 0, 7, 1, 0x80, 0x01])
        #expect(throws: TSDBError.self) { try WALRecord.decode([3, 0, 0, 0, 0, 0, 0, 0, 7, 1]) }
    }

    /// Prometheus' `EncodeExemplarsIntoBuffer`: base ref and time, then signed deltas, value
    /// bits and the labels as in a series record.
    @Test func exemplarsEncodingMatchesPrometheusLayout() {
        let bytes = WALRecord.exemplars([
            RecordExemplar(ref: 2, timestamp: 100, value: 1, labels: Labels(["a": "b"])),
            RecordExemplar(ref: 1, timestamp: 99, value: 2, labels: .empty),
        ]).encoded()
        let want: [UInt8] = [4]
            + [0, 0, 0, 0, 0, 0, 0, 2] + [0, 0, 0, 0, 0, 0, 0, 100]
            + [0, 0] + [0x3F, 0xF0, 0, 0, 0, 0, 0, 0] + [1, 1, UInt8(ascii: "a"), 1, UInt8(ascii: "b")]
            + [1, 1] + [0x40, 0, 0, 0, 0, 0, 0, 0] + [0]   // zig-zag: -1 → 1
        #expect(bytes == want)
    }

    @Test(arguments: [[UInt8](), [0], [11], [255]])
    func invalidTypeThrows(bytes: [UInt8]) {
        #expect(throws: TSDBError.self) { try WALRecord.decode(bytes) }
    }

    /// Every strict prefix of a non-trivial record either throws or decodes to fewer entries.
    @Test(arguments: records.filter { $0.encoded().count > 1 })
    func truncatedRecordsNeverCrash(record: WALRecord) {
        let bytes = record.encoded()
        for length in 0..<bytes.count {
            do {
                let decoded = try WALRecord.decode(bytes[..<length])
                #expect(decoded != record, "prefix of \(length) bytes decoded to the whole record")
            } catch {
                #expect(error.kind == .invalidRecord)
            }
        }
    }

    @Test(arguments: records)
    func corruptedRecordsNeverCrash(record: WALRecord) {
        let bytes = record.encoded()
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[index] ^= flip
                // Any outcome but a trap is acceptable; errors must carry the codec kind.
                do { _ = try WALRecord.decode(damaged) } catch { #expect(error.kind == .invalidRecord) }
            }
        }
    }

    @Test func hugeLabelCountIsRejectedBeforeAllocating() {
        var writer = ByteWriter()
        writer.putByte(1)
        writer.putBE64(1)
        writer.putUvarint(UInt64.max >> 1)
        #expect(throws: TSDBError.self) { try WALRecord.decode(writer.bytes) }
    }
}
