import Foundation
import PharosCore
import PharosTestSupport
import Snappy
import Testing
@testable import TSDB

/// Snappy-compressed writing (`--storage.tsdb.wal-compression`): round trips, mixed segments,
/// checkpoints, and the on-disk flags Prometheus expects.
@Suite(.timeLimit(.minutes(5))) struct WALCompressionTests {
    /// Type bytes of every fragment header in a segment (zero padding skipped).
    static func fragmentTypes(_ bytes: [UInt8]) -> [UInt8] {
        var types: [UInt8] = []
        var position = 0
        while position < bytes.count {
            let pageEnd = min(bytes.count, (position / WALFormat.pageSize + 1) * WALFormat.pageSize)
            if bytes[position] == 0 || pageEnd - position < WALFormat.headerSize {
                position = pageEnd
                continue
            }
            types.append(bytes[position])
            position += WALFormat.headerSize + (Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]))
        }
        return types
    }

    static func segmentBytes(_ directory: String) throws -> Int {
        try WAL.listSegments(directory).reduce(0) { $0 + (PosixFile.size(directory + "/" + WALSegmentName.name($1)) ?? 0) }
    }

    @Test func compressedRoundTripIsSmallerAndFlagsEveryFragment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = makeWALRecords(count: 300, seed: 3)
        var sizes: [WALCompression: Int] = [:]
        for compression in [WALCompression.none, .snappy] {
            let path = directory.path + "/\(compression)"
            let wal = try WAL(directory: path, segmentSize: 4 * WALFormat.pageSize, compression: compression)
            #expect(wal.compression == compression)
            for batch in stride(from: 0, to: records.count, by: 7) {
                try wal.log(Array(records[batch..<min(batch + 7, records.count)]))
            }
            try wal.close()
            let (seen, report) = try replayAll(try WAL(directory: path, segmentSize: 4 * WALFormat.pageSize))
            #expect(seen == records, "\(compression)")
            #expect(report.repair == nil)
            let types = try WAL.listSegments(path).flatMap { Self.fragmentTypes(try PosixFile.readAll(path + "/" + WALSegmentName.name($0))) }
            let flagged = types.filter { $0 & WALFormat.snappyFlag != 0 }
            if compression == .snappy {
                #expect(flagged.count > types.count / 4)
                // The fragments of one record all carry the flag, or none does.
                var recordFlag: UInt8? = nil
                for type in types {
                    let kind = type & 0x07, flag = type & WALFormat.snappyFlag
                    if kind == 3 || kind == 4 { #expect(flag == recordFlag) }
                    recordFlag = kind == 2 || kind == 3 ? flag : nil
                }
            } else {
                #expect(flagged.isEmpty)
            }
            sizes[compression] = try Self.segmentBytes(path)
        }
        // Random sample values barely compress; series records with padding labels do.
        #expect(sizes[.snappy]! * 10 < sizes[.none]! * 8, "snappy \(sizes[.snappy]!) vs plain \(sizes[.none]!)")
    }

    @Test func recordsThatDoNotShrinkAreWrittenPlain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // No 4-byte sequence repeats, so the snappy block would be longer than the record.
        let tiny = WALRecord.samples([RecordSample(ref: 0x1122_3344_5566_7788, timestamp: 0x0123_4567_89AB_CDEF,
                                                   value: Double(bitPattern: 0x3FF9_1827_3645_5463))])
        let wide = WALRecord.series([RecordSeries(ref: 2, labels: Labels(["pad": String(repeating: "ab", count: 500)]))])
        let wal = try WAL(directory: directory.path, compression: .snappy)
        try wal.log([tiny, wide])
        try wal.close()
        let bytes = try PosixFile.readAll(directory.path + "/00000000")
        #expect(Self.fragmentTypes(bytes) == [WALFormat.FragmentType.full.rawValue, WALFormat.FragmentType.full.rawValue | WALFormat.snappyFlag])
        #expect(try replayAll(try WAL(directory: directory.path)).0 == [tiny, wide])
    }

    @Test func replayReadsMixedCompressedAndPlainSegments() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = makeWALRecords(count: 90, seed: 5)
        let modes: [WALCompression] = [.none, .snappy, .none, .snappy]
        for (index, compression) in modes.enumerated() {
            let wal = try WAL(directory: directory.path, compression: compression)
            if index > 0 { _ = try replayAll(wal) }
            for record in records[(index * 20)..<(index * 20 + 20)] { try wal.log([record]) }
            try wal.close()
        }
        #expect(try WAL.listSegments(directory.path) == [0, 1, 2, 3])
        let (seen, report) = try replayAll(try WAL(directory: directory.path, compression: .none))
        #expect(seen == Array(records.prefix(80)))
        #expect(report.segments == [0, 1, 2, 3] && report.repair == nil)
    }

    @Test(arguments: [WALCompression.none, .snappy])
    func checkpointIsWrittenWithTheWALsCompression(compression: WALCompression) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let labels = Labels(["__name__": "http_requests_total", "job": "api", "instance": "host-1:9100"])
        let wal = try WAL(directory: directory.path, compression: .none)
        try wal.log([.series((1...50).map { RecordSeries(ref: UInt64($0), labels: labels) })])
        try wal.log([.samples((1...50).map { RecordSample(ref: UInt64($0), timestamp: 1000, value: 1) })])
        try wal.close()
        let reopened = try WAL(directory: directory.path, compression: compression)
        _ = try replayAll(reopened)
        try reopened.log([.samples([RecordSample(ref: 1, timestamp: 2000, value: 2)])])
        try reopened.checkpoint(through: 0, keep: { $0 % 2 == 0 }, minTime: 0)
        let types = Self.fragmentTypes(try PosixFile.readAll(directory.path + "/checkpoint.00000000/00000000"))
        #expect(!types.isEmpty && types.allSatisfy { ($0 & WALFormat.snappyFlag != 0) == (compression == .snappy) })
        try reopened.close()
        let (seen, _) = try replayAll(try WAL(directory: directory.path))
        #expect(seen.count == 3)
        if case .series(let series) = seen.first { #expect(series.map(\.ref) == stride(from: 2, through: 50, by: 2).map(UInt64.init)) }
    }

    @Test func tornCompressedRecordInTheDBIsRepairedOnOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var options = TSDBOptions()
        #expect(options.walCompression)
        options.walCompression = true
        let db = try TSDB.open(directory: directory.path, options: options, logger: DBTests.quiet)
        for round in 0..<3 {
            let app = db.head.makeAppender()
            for index in 0..<200 {
                _ = try app.append(.unknown, Labels(["__name__": "m", "i": "\(index)"]), at: Int64(round) * 1000,
                                   value: Double(index), options: .none)
            }
            try app.commitNow()
        }
        try db.close()
        let path = directory.path + "/wal/00000000"
        var bytes = try PosixFile.readAll(path)
        #expect(Self.fragmentTypes(bytes).allSatisfy { $0 & WALFormat.snappyFlag != 0 })
        bytes[bytes.count - 5] ^= 0x20   // inside the last record's compressed data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reopened = try TSDB.open(directory: directory.path, options: options, logger: DBTests.quiet)
        defer { try? reopened.close() }
        #expect(reopened.replayReport.wal?.repair != nil)
        #expect(reopened.head.maxTime == 1000)   // the third commit's samples were the torn record
        #expect(reopened.head.stats.numSeries == 200)
    }
}
