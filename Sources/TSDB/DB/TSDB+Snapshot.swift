import Foundation
import Logging
import PharosCore
import Synchronization

/// What `TSDB.snapshot` wrote.
package struct SnapshotReport: Sendable, Hashable {
    /// Persisted blocks copied (hard-linked), by ULID.
    package var blocks: [String] = []
    /// The block cut from the head, if the head was included and held samples.
    package var headBlock: String?
}

extension TSDB {
    /// A snapshot folder's name as Prometheus forms it: the UTC time as `YYYYMMDDTHHMMSSZ`,
    /// a dash, and `random` as 16 lower-case hex digits (Prometheus takes a random
    /// non-negative Int63).
    package static func snapshotName(at date: Date, random: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let digits = String(random, radix: 16)
        return formatter.string(from: date) + "-" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// Writes a consistent copy of the database into `target` (created when missing), usable
    /// as a data folder by Pharos and Prometheus (Prometheus' `DB.Snapshot`): every persisted
    /// block is hard-linked file by file (copied where links are impossible), and with
    /// `withHead` the head's samples — each commit whole or not at all, tombstones applied —
    /// are written as one more block spanning the head. No WAL is copied. Serialized with
    /// maintenance (no block is compacted or deleted meanwhile); runs on `threads.maintenance`.
    package func snapshot(into target: String, withHead: Bool) async throws -> SnapshotReport {
        try await threads.maintenance.run { try self.snapshotNow(into: target, withHead: withHead) }
    }

    /// The blocking body of `snapshot`.
    func snapshotNow(into target: String, withHead: Bool) throws -> SnapshotReport {
        try maintenanceLock.withLock { _ in
            guard !isClosed else { throw TSDBError(.closed, "cannot snapshot: the database is closed", location: directory) }
            var report = SnapshotReport()
            try BlockFiles.run { () throws(TSDBError) in try PosixFile.makeDirectory(target) }
            for block in blocks {
                try Self.link(block, into: target)
                report.blocks.append(block.ulid)
            }
            if withHead {
                let reader = HeadReader(head: head)
                var collected: (series: [BlockSeries], range: Range<Timestamp>)?
                reader.withStableView {
                    guard let low = head.minTime, let high = head.maxTime, high < .max else { return }
                    let range = low..<(high + 1)
                    collected = (HeadCompactor.collect(reader, range: range), range)
                }
                if let collected {
                    report.headBlock = try HeadCompactor.write(collected.series, range: collected.range, into: target)
                }
            }
            try BlockFiles.run { () throws(TSDBError) in try PosixFile.syncDirectory(target) }
            logger.info("snapshot written", metadata: [
                "tsdb.snapshot.path": "\(target)", "tsdb.snapshot.blocks": "\(report.blocks.count)",
                "tsdb.snapshot.head_block": "\(report.headBlock ?? "none")",
            ])
            return report
        }
    }

    /// Hard-links `block`'s meta.json, index, tombstones (when present) and chunk files into
    /// `<target>/<ulid>/` (Prometheus' `Block.Snapshot`). Files are replaced by rename, never
    /// edited, so the links keep this moment's content.
    private static func link(_ block: PersistedBlock, into target: String) throws {
        let folder = target + "/" + block.ulid
        try BlockFiles.run { () throws(TSDBError) in
            try PosixFile.makeDirectory(folder + "/chunks")
            for name in ["meta.json", "index", TombstonesFile.name] where PosixFile.size(block.directory + "/" + name) != nil {
                try PosixFile.linkOrCopy(block.directory + "/" + name, folder + "/" + name)
            }
            for name in try PosixFile.list(block.directory + "/chunks").sorted() {
                try PosixFile.linkOrCopy(block.directory + "/chunks/" + name, folder + "/chunks/" + name)
            }
            try PosixFile.syncDirectory(folder + "/chunks")
            try PosixFile.syncDirectory(folder)
        }
    }
}
