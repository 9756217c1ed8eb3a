import Foundation
import Logging
import PharosCore
import PharosTestSupport
import Testing
import TSDB

/// A damaged WAL tail (torn write or flipped bit) must not stop `pharos` from starting: it
/// repairs the last segment, says so in its log, and keeps every record before the damage.
@Suite(.serialized, .timeLimit(.minutes(10))) struct WALDamageTests {
    enum Damage: String, CustomStringConvertible, CaseIterable {
        case truncateMidRecord, flipByteInLastRecord
        var description: String { rawValue }
    }

    static let commits = 10
    static let base: Int64 = (Int64(Date().timeIntervalSince1970) - 600) * 1000

    /// One commit creates two series; each later commit is one samples record for both.
    static func write(_ directory: String) async throws {
        let tsdb = try TSDB.open(directory: directory, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        for commit in 0..<commits {
            let appender = tsdb.makeAppender()
            for instance in ["a", "b"] {
                _ = try appender.append(Labels(["__name__": "pharos_it_wal", "instance": instance]),
                                        at: base + Int64(commit) * 10_000, value: Double(commit))
            }
            try await appender.commit()
        }
        try tsdb.close()
    }

    /// The highest-numbered non-empty WAL segment.
    static func lastSegment(_ directory: String) throws -> String {
        let wal = directory + "/wal"
        let names = try FileManager.default.contentsOfDirectory(atPath: wal)
            .filter { $0.count == 8 && Int($0) != nil }.sorted()
        for name in names.reversed() {
            let size = (try FileManager.default.attributesOfItem(atPath: "\(wal)/\(name)")[.size] as? Int) ?? 0
            if size > 0 { return "\(wal)/\(name)" }
        }
        throw PeerError("no non-empty WAL segment in \(wal): \(names)")
    }

    static func damage(_ path: String, _ damage: Damage) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case .truncateMidRecord: bytes.removeLast(5)
        case .flipByteInLastRecord: bytes[bytes.count - 3] ^= 0x5A
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: Damage.allCases)
    func startsRepairsAndKeepsRecordsBeforeTheDamage(_ damage: Damage) async throws {
        try await withTemporaryDirectory { folder in
            let data = folder + "/data"
            try await Self.write(data)
            try Self.damage(try Self.lastSegment(data), damage)

            let pharos = try await PharosSubprocess(dataPath: data, logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            #expect(pharos.log.contains("WAL tail repaired during replay"), "no repair line in the log:\n\(pharos.log)")
            #expect(try await pharos.client.get("/-/healthy").status == 200)

            let at = Double(Self.base) / 1000 + Double(Self.commits) * 10
            let kept = Self.commits - 1
            let count = try await pharos.query("count_over_time(pharos_it_wal[1h])", at: at)
            #expect(count == QueryResultJSON(series: [
                #"{instance="a"}"#: [.init(at, Double(kept))], #"{instance="b"}"#: [.init(at, Double(kept))],
            ]), "\(count)")
            let last = try await pharos.query("max(last_over_time(pharos_it_wal[1h]))", at: at)
            #expect(last == QueryResultJSON(series: ["{}": [.init(at, Double(kept - 1))]]), "\(last)")

            // The repaired WAL takes new appends after restart without further complaints.
            pharos.stop()
            let again = try await PharosSubprocess(dataPath: data, logPath: folder + "/pharos-2.log")
            defer { again.stop() }
            #expect(!again.log.contains("WAL tail repaired"), "the repair did not stick:\n\(again.log)")
            #expect(try await again.query("count_over_time(pharos_it_wal[1h])", at: at) == count)
        }
    }
}
