import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct RecordSnappyTests {
    static func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { buffer throws in try SnappyDecoder.decode(buffer) }
    }

    /// Snappy block made of one literal (valid for any input under 60 bytes… or longer via the
    /// multi-byte length forms).
    static func literalBlock(_ data: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.putUvarint(UInt64(data.count))
        let length = data.count - 1
        if length < 60 {
            writer.putByte(UInt8(length << 2))
        } else {
            writer.putByte(61 << 2)   // two little-endian length bytes follow
            writer.putByte(UInt8(length & 0xFF))
            writer.putByte(UInt8(length >> 8))
        }
        writer.putBytes(data)
        return writer.bytes
    }

    @Test func decodesLiteralsAndAllCopyForms() throws {
        let abcd = Array("abcd".utf8)
        // "abcd", then copy 8 bytes from offset 4 (1-byte offset form).
        #expect(try Self.decode([12, 3 << 2] + abcd + [0x11, 4]) == Array("abcdabcdabcd".utf8))
        // 2-byte offset form: copy 6 bytes from offset 2 (overlapping copy).
        #expect(try Self.decode([10, 3 << 2] + abcd + [(6 - 1) << 2 | 2, 2, 0]) == Array("abcdcdcdcd".utf8))
        // 4-byte offset form.
        #expect(try Self.decode([8, 3 << 2] + abcd + [(4 - 1) << 2 | 3, 4, 0, 0, 0]) == Array("abcdabcd".utf8))
        let long = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(try Self.decode(Self.literalBlock(long)) == long)
        #expect(try Self.decode([0]) == [])
    }

    static let broken: [[UInt8]] = [
        [],                                  // no length
        [5, 3 << 2, 1, 2],                   // literal runs past the input
        [4, 0x11, 4],                        // copy before any output
        [12, 3 << 2, 1, 2, 3, 4, 0x11],      // copy offset byte missing
        [2, 3 << 2, 1, 2, 3, 4],             // output longer than announced
        [9, 3 << 2, 1, 2, 3, 4],             // output shorter than announced
        [0xFF, 0xFF, 0xFF, 0xFF, 0x7F],      // absurd length
        [4, 0xF0 | 0, 1],                    // 4-byte literal length truncated
    ]

    @Test(arguments: broken)
    func rejectsBrokenInput(bytes: [UInt8]) {
        #expect(throws: TSDBError.self) { try Self.decode(bytes) }
    }

    /// One fragment of a snappy-compressed record, as Prometheus writes it.
    static func snappyFragment(_ record: WALRecord, type: UInt8 = 0x09) -> [UInt8] {
        let data = literalBlock(record.encoded())
        var writer = ByteWriter()
        writer.putByte(type)
        writer.putBE16(UInt16(data.count))
        writer.putBE32(CRC32C.checksum(data))
        writer.putBytes(data)
        return writer.bytes
    }

    @Test func replayReadsSnappyCompressedRecords() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records: [WALRecord] = [
            .series([RecordSeries(ref: 1, labels: Labels(["__name__": "up"]))]),
            .samples([RecordSample(ref: 1, timestamp: 5, value: 1)]),
        ]
        let bytes = records.flatMap { Self.snappyFragment($0) }
        try BlockFiles.writeFile(directory.path + "/00000000", bytes)
        let (seen, report) = try replayAll(try WAL(directory: directory.path))
        #expect(seen == records)
        #expect(report.repair == nil)
    }

    @Test func zstdRecordsFailReplayWithoutTruncating() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = WALRecord.samples([RecordSample(ref: 1, timestamp: 5, value: 1)])
        var layout = WALPageLayout(segmentSize: WALFormat.defaultSegmentSize)
        var bytes: [UInt8] = []
        layout.append(record: good.encoded(), into: &bytes)
        bytes += Self.snappyFragment(good, type: 0x11)   // zstd flag on a full fragment
        try BlockFiles.writeFile(directory.path + "/00000000", bytes)
        #expect(throws: TSDBError.self) { try replayAll(try WAL(directory: directory.path)) }
        #expect(PosixFile.size(directory.path + "/00000000") == bytes.count)
    }
}
