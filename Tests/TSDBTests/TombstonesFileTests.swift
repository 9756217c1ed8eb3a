import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// The tombstone model and the block `tombstones` file (Docs/formats/tombstones.md).
@Suite(.timeLimit(.minutes(2))) struct TombstonesFileTests {
    typealias I = TimeInterval

    /// Prometheus' `Intervals.Add` cases: merged when overlapping or touching, kept sorted.
    @Test(arguments: [
        ([I(1, 2)], [I(1, 2)]),
        ([I(1, 2), I(4, 5)], [I(1, 2), I(4, 5)]),
        ([I(1, 2), I(3, 5)], [I(1, 5)]),                       // adjacent: 2 and 3 touch
        ([I(4, 5), I(1, 2)], [I(1, 2), I(4, 5)]),              // inserted in front
        ([I(1, 2), I(7, 8), I(4, 5)], [I(1, 2), I(4, 5), I(7, 8)]),
        ([I(1, 2), I(4, 5), I(7, 8), I(2, 7)], [I(1, 8)]),     // one add swallows three
        ([I(1, 10), I(3, 4)], [I(1, 10)]),
        ([I(5, 6), I(1, 10)], [I(1, 10)]),
        ([I(.min, 5), I(6, .max)], [I(.min, .max)]),          // no overflow at the ends
        ([I(.min, .min), I(.max, .max)], [I(.min, .min), I(.max, .max)]),
        ([I(3, 1)], []),                                         // empty interval: ignored
    ])
    func intervalsMergeAsPrometheus(adds: [TimeInterval], want: [TimeInterval]) {
        var intervals = Intervals()
        for interval in adds { intervals.add(interval) }
        #expect(intervals.list == want)
    }

    @Test func intervalQueries() {
        let intervals = Intervals([I(10, 20), I(30, 40)])
        #expect(intervals.contains(10) && intervals.contains(40) && !intervals.contains(25))
        #expect(intervals.covers(12, 18) && !intervals.covers(15, 35))
        #expect(intervals.overlaps(0, 10) && !intervals.overlaps(21, 29))
        var truncated = intervals
        truncated.removeAll(endingBefore: 21)
        #expect(truncated.list == [I(30, 40)])
        #expect(I(0, 100).clamped(to: 10, 50) == I(10, 50))
    }

    @Test func emptyFileIsTheNineBytesEveryBlockStartsWith() throws {
        #expect(TombstonesFile.encode(Tombstones()) == BlockWriter.emptyTombstones)
        #expect(try TombstonesFile.decode(BlockWriter.emptyTombstones, path: "t").isEmpty)
    }

    /// uvarint ref, zig-zag varints, CRC32C over the stones only.
    @Test func encodingIsPrometheusLayout() {
        var tombstones = Tombstones()
        tombstones.add(16, I(-1, 64))
        let stones: [UInt8] = [16, 1, 0x80, 0x01]
        let crc = CRC32C.checksum(stones)
        let want: [UInt8] = [0x01, 0x30, 0xBA, 0x30, 0x01] + stones
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        #expect(TombstonesFile.encode(tombstones) == want)
    }

    static func sample(seed: UInt64) -> Tombstones {
        var random = SplitMix64(seed: seed)
        var tombstones = Tombstones()
        for _ in 0..<40 {
            let ref = random.next() % 20 * 16
            let mint = Int64(bitPattern: random.next() % 10_000) - 5000
            tombstones.add(ref, I(mint, mint + Int64(random.next() % 500)))
        }
        tombstones.add(1 << 40, I(.min, .max))
        return tombstones
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func roundTrip(seed: UInt64) throws {
        let tombstones = Self.sample(seed: seed)
        #expect(try TombstonesFile.decode(TombstonesFile.encode(tombstones), path: "t") == tombstones)
    }

    /// Stones of one ref in any order, overlapping, as Prometheus (Go map order) may write them.
    @Test func stonesOfOneRefAreMergedOnRead() throws {
        var stones = ByteWriter()
        for (mint, maxt) in [(50, 60), (1, 10), (11, 20), (55, 70)] as [(Int64, Int64)] {
            stones.putUvarint(7)
            stones.putVarint(mint)
            stones.putVarint(maxt)
        }
        let decoded = try TombstonesFile.decode(Self.frame(stones.bytes), path: "t")
        #expect(decoded[7].list == [I(1, 20), I(50, 70)])
        #expect(decoded.total == 2)
    }

    static func frame(_ stones: [UInt8], magic: UInt32 = TombstonesFile.magic, version: UInt8 = 1) -> [UInt8] {
        var writer = ByteWriter()
        writer.putBE32(magic)
        writer.putByte(version)
        writer.putBytes(stones)
        writer.putBE32(CRC32C.checksum(stones))
        return writer.bytes
    }

    @Test(arguments: [
        ([0x01, 0x30, 0xBA, 0x30, 0x01, 0], "at byte 0", "tombstones file of 6 bytes is shorter than its 9-byte frame"),
        (frame([], magic: 0x1234_5678), "at byte 0", "invalid tombstones magic 0x12345678; want 0x0130ba30"),
        (frame([], version: 2), "at byte 4", "unsupported tombstones version 2; want 1"),
        (frame([0x80]), "at byte 5", "cannot read stone 1: cannot read varint: input ends inside it"),
        (frame([16, 40, 20]), "at byte 5", "stone 1 of series 16: mint 20 is after maxt 10"),
        (frame([16, 2, 4, 16, 2]), "at byte 10", "cannot read stone 2: cannot read varint: input ends inside it"),
    ] as [([UInt8], String, String)])
    func damageIsReportedWithItsOffset(bytes: [UInt8], at: String, message: String) {
        #expect {
            try TombstonesFile.decode(bytes, path: "b/tombstones")
        } throws: { error in
            guard let error = error as? TSDBError else { return false }
            return error.kind == .corruptBlock && error.location == "b/tombstones " + at && error.message == message
        }
    }

    @Test func checksumMismatchNamesBothValues() throws {
        var bytes = TombstonesFile.encode(Self.sample(seed: 9))
        bytes[7] ^= 0x40
        let error = try #require(throws: TSDBError.self) { try TombstonesFile.decode(bytes, path: "t") }
        #expect(error.location == "t at byte \(bytes.count - 4)")
        #expect(error.message.hasPrefix("tombstones checksum mismatch (want 0x"))
    }

    /// Every truncation and every flipped bit fails cleanly, never traps.
    @Test func everyTruncationAndBitFlipThrows() {
        let bytes = TombstonesFile.encode(Self.sample(seed: 4))
        for length in 0..<bytes.count {
            #expect(throws: TSDBError.self, "prefix of \(length) bytes") { try TombstonesFile.decode(Array(bytes[..<length]), path: "t") }
        }
        for index in bytes.indices {
            for bit in 0..<8 {
                var damaged = bytes
                damaged[index] ^= 1 << bit
                #expect(throws: TSDBError.self, "bit \(bit) of byte \(index)") { try TombstonesFile.decode(damaged, path: "t") }
            }
        }
    }

    @Test func fileIsReplacedAtomicallyAndAMissingFileIsNoTombstones() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try TombstonesFile.read(blockDirectory: dir).isEmpty)
            let tombstones = Self.sample(seed: 5)
            try TombstonesFile.write(tombstones, blockDirectory: dir)
            #expect(try TombstonesFile.read(blockDirectory: dir) == tombstones)
            #expect(try PosixFile.list(dir) == ["tombstones"]) // no .tmp left behind
            let path = dir + "/tombstones"
            try BlockFiles.writeFile(path, [0x01, 0x30, 0xBA])
            let error = try #require(throws: TSDBError.self) { try TombstonesFile.read(blockDirectory: dir) }
            #expect(error.description == "\(path) at byte 0: corrupt block: tombstones file of 3 bytes is shorter than its 9-byte frame")
        }
    }
}
