import Foundation
import Logging
import PharosCore
import PharosTestSupport
import Snappy
import Synchronization
import Testing
@testable import TSDB

/// Collects log lines so tests can assert on warnings without the global logging system.
final class CapturedLogs: Sendable {
    let lines = Mutex<[(Logger.Level, String)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(sink: self) }
    }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.lines.withLock { $0.append((event.level, "\(event.message)")) }
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct WALRepairTests {
    /// Writes `records` into one segment and returns the file's bytes and each record's end.
    private func writeSegment(_ records: [WALRecord], in directory: String,
                              compression: WALCompression = .snappy) throws -> (bytes: [UInt8], ends: [Int]) {
        let wal = try WAL(directory: directory, compression: compression)
        var ends: [Int] = []
        for record in records {
            try wal.log([record])
            ends.append(PosixFile.size(directory + "/00000000") ?? 0)
        }
        try wal.close()
        return (try PosixFile.readAll(directory + "/00000000"), ends)
    }

    private func store(_ bytes: some Collection<UInt8>, at path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Records whose last one straddles the first page boundary when written with `compression`.
    private func straddlingRecords(_ compression: WALCompression) -> [WALRecord] {
        guard compression == .snappy else {
            let filler = RecordSeries(ref: 1, labels: Labels(["f": String(repeating: "a", count: 10_800)]))
            let last = RecordSeries(ref: 2, labels: Labels(["g": String(repeating: "b", count: 1000)]))
            return [.series([filler]), .series([filler]), .series([filler]),
                    .samples([RecordSample(ref: 1, timestamp: 5, value: 2)]), .series([last])]
        }
        // Label values repeat a random half, so snappy halves them and records stay large.
        var state: UInt64 = 7
        func text(_ count: Int) -> String {
            let half = String((0..<count / 2).map { _ -> Character in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Character(Unicode.Scalar(UInt8(97 + (state >> 33) % 26)))
            })
            return half + half
        }
        func framed(_ record: WALRecord) -> Int { Snappy.compress(record.encoded()).count + WALFormat.headerSize }
        var records: [WALRecord] = []
        var used = 0
        while true {
            let filler = WALRecord.series([RecordSeries(ref: 1, labels: Labels(["f": text(2000)]))])
            guard used + framed(filler) <= WALFormat.pageSize - 1000 else { break }
            used += framed(filler)
            records.append(filler)
        }
        return records + [.samples([RecordSample(ref: 1, timestamp: 5, value: 2)]),
                          .series([RecordSeries(ref: 2, labels: Labels(["g": text(6000)]))])]
    }

    @Test(arguments: [WALCompression.none, .snappy])
    func tornTailIsTruncatedAtEveryOffsetOfTheLastRecord(compression: WALCompression) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = straddlingRecords(compression)
        let (bytes, ends) = try writeSegment(records, in: directory.path + "/source", compression: compression)
        #expect((bytes[0] & WALFormat.snappyFlag != 0) == (compression == .snappy))
        let lastStart = ends[ends.count - 2]
        #expect(lastStart < WALFormat.pageSize && ends.last! > WALFormat.pageSize)
        let target = directory.path + "/wal"
        try PosixFile.makeDirectory(target)
        for cut in lastStart..<bytes.count {
            try store(bytes[..<cut], at: target + "/00000000")
            let (seen, report) = try replayAll(try WAL(directory: target))
            #expect(seen == Array(records.dropLast()), "cut at \(cut)")
            #expect(PosixFile.size(target + "/00000000") == lastStart, "cut at \(cut)")
            #expect((report.repair != nil) == (cut != lastStart), "cut at \(cut)")
        }
    }

    @Test(arguments: [WALCompression.none, .snappy])
    func flippedByteKeepsEveryRecordBeforeTheDamage(compression: WALCompression) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = straddlingRecords(compression)
        let (bytes, ends) = try writeSegment(records, in: directory.path + "/source", compression: compression)
        let target = directory.path + "/wal"
        try PosixFile.makeDirectory(target)
        let boundary = WALFormat.pageSize
        let offsets = Array(stride(from: 0, to: bytes.count, by: 11)) + Array(boundary - 40..<boundary + 40)
        for offset in offsets {
            var damaged = bytes
            damaged[offset] ^= 0x01
            try store(damaged, at: target + "/00000000")
            let (seen, report) = try replayAll(try WAL(directory: target))
            let intact = ends.filter { $0 <= offset }.count
            #expect(seen.count >= intact && seen.count < records.count, "flip at \(offset)")
            #expect(seen == Array(records.prefix(seen.count)), "flip at \(offset)")
            #expect(report.repair?.segment == 0, "flip at \(offset)")
            let size = try #require(PosixFile.size(target + "/00000000"))
            #expect(size <= offset && size == (seen.isEmpty ? 0 : ends[seen.count - 1]), "flip at \(offset)")
        }
    }

    @Test func repairLogsAWarningNamingSegmentAndOffset() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = straddlingRecords(.snappy)
        let (bytes, ends) = try writeSegment(records, in: directory.path)
        var damaged = bytes
        damaged[ends[1] + 20] ^= 0xFF   // inside the third record's data
        try store(damaged, at: directory.path + "/00000000")
        let logs = CapturedLogs()
        let wal = try WAL(directory: directory.path, logger: logs.logger)
        let (seen, report) = try replayAll(wal)
        #expect(seen == Array(records.prefix(2)))
        #expect(report.truncatedTo == ends[1])
        let lines = logs.lines.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.0 == .warning)
        let message = lines.first?.1 ?? ""
        #expect(message.hasPrefix("wal 00000000 at byte \(ends[1]): record checksum mismatch (want 0x"))
        #expect(message.hasSuffix("; truncating the torn tail"))

        // After the repair, new writes land in segment 1 and a later replay is clean.
        try wal.log([.samples([RecordSample(ref: 9, timestamp: 9, value: 9)])])
        try wal.close()
        let (again, second) = try replayAll(try WAL(directory: directory.path))
        #expect(again == Array(records.prefix(2)) + [.samples([RecordSample(ref: 9, timestamp: 9, value: 9)])])
        #expect(second.repair == nil)
    }

    @Test func corruptionInAnEarlierSegmentIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let wal = try WAL(directory: directory.path, segmentSize: WALFormat.pageSize)
        for record in makeWALRecords(count: 30) { try wal.log([record]) }
        try wal.close()
        let path = directory.path + "/00000001"
        var bytes = try PosixFile.readAll(path)
        bytes[100] ^= 0x40
        try store(bytes, at: path)
        do {
            _ = try replayAll(try WAL(directory: directory.path, segmentSize: WALFormat.pageSize))
            Issue.record("replay succeeded over a corrupt middle segment")
        } catch let error as TSDBError {
            #expect(error.kind == .corruption)
            #expect(error.segment == 1)
            #expect(error.description.hasPrefix("wal 00000001 at byte "))
        }
        #expect(try PosixFile.readAll(path) == bytes, "an earlier segment must never be truncated")
    }

    @Test func undecodableRecordWithValidChecksumIsTreatedAsDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = WALRecord.samples([RecordSample(ref: 1, timestamp: 1, value: 1)])
        var layout = WALPageLayout(segmentSize: WALFormat.defaultSegmentSize)
        var bytes: [UInt8] = []
        layout.append(record: good.encoded(), into: &bytes)
        let goodEnd = bytes.count
        layout.append(record: [2, 0, 0, 1], into: &bytes)   // samples record cut short
        try store(bytes, at: directory.path + "/00000000")
        let (seen, report) = try replayAll(try WAL(directory: directory.path))
        #expect(seen == [good])
        #expect(report.truncatedTo == goodEnd)
        #expect(report.repair?.kind == .corruption)
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 100), 0, 0),                  // zero padding only: clean, empty
        ([0x01, 0x00], 0, 0),                                       // short header
        ([0x09, 0x00, 0x01, 0, 0, 0, 0, 0x55], 0, 0),               // snappy flag
        ([0x07, 0x00, 0x00, 0, 0, 0, 0], 0, 0),                     // unknown fragment type
        ([0x03, 0x00, 0x00, 0, 0, 0, 0], 0, 0),                     // middle without first
    ])
    func scannerRejectsBrokenSegments(bytes: [UInt8], records: Int, goodEnd: Int) {
        var count = 0
        let damage = bytes.withUnsafeBytes { WALSegmentScanner.scan($0) { _, _ in count += 1 } }
        #expect(count == records)
        if bytes.allSatisfy({ $0 == 0 }) {
            #expect(damage == nil)
        } else {
            #expect(damage?.goodEnd == goodEnd)
        }
    }
}

@Suite(.timeLimit(.minutes(10))) struct WALFuzzTests {
    /// Deterministic xorshift so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test func randomBytesNeverCrashTheScannerOrDecoder() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for round in 0..<300 {
            let count = Int.random(in: 0..<(round % 10 == 0 ? 70_000 : 300), using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Bias towards plausible headers so the deeper paths run too.
            if count > 7 && round % 2 == 0 {
                bytes[0] = UInt8.random(in: 0...4, using: &generator)
                bytes[1] = 0
            }
            let damage = bytes.withUnsafeBytes { buffer in
                WALSegmentScanner.scan(buffer) { record, _ in _ = try? WALRecord.decode(record) }
            }
            if let damage { #expect(damage.goodEnd <= damage.offset || damage.goodEnd <= count) }
            _ = try? WALRecord.decode(bytes)
            if count > 0 {
                var typed = bytes
                typed[0] = UInt8.random(in: 1...2, using: &generator)
                _ = try? WALRecord.decode(typed)
            }
        }
    }

    @Test func scannerFindsEveryRecordOfAValidSegmentFedFromAnyStartOfPage() throws {
        var layout = WALPageLayout(segmentSize: 8 * WALFormat.pageSize)
        var bytes: [UInt8] = []
        let records = makeWALRecords(count: 60, seed: 11).map { $0.encoded() }
        for record in records { layout.append(record: record, into: &bytes) }
        // Every page-aligned prefix ends cleanly or inside a record, never with a wrong record.
        for pages in 0...(bytes.count / WALFormat.pageSize) {
            let prefix = Array(bytes.prefix(pages * WALFormat.pageSize))
            var seen: [[UInt8]] = []
            _ = prefix.withUnsafeBytes { WALSegmentScanner.scan($0) { record, _ in seen.append(Array(record)) } }
            #expect(seen == Array(records.prefix(seen.count)), "prefix of \(pages) pages")
        }
    }
}
