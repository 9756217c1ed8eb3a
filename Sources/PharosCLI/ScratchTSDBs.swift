import Foundation
import Logging
import PharosCore
import Synchronization
import TSDB

/// Opens fresh TSDBs in subfolders of one temporary folder, for promqltest runs: one per
/// script start and per `clear`. `close()` closes them all and removes the folder.
///
/// Configured as Prometheus' test storage: a 24h block range, so a load may append up to 12h
/// before the newest sample. (A series repeated in one `load` is resolved by the runner.)
package final class ScratchTSDBs: Sendable {
    package let root: String
    private let opened = Mutex<[TSDB]>([])

    /// `root` defaults to a new folder under the system's temporary folder.
    package init(root: String? = nil) {
        self.root = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("pharos-promqltest-\(UUID().uuidString)").path
    }

    /// A new empty TSDB, or a storage that refuses every append (so the load fails with the
    /// reason) when the folder cannot be created or opened.
    package func make() -> any Appendable & Queryable {
        let directory = root + "/\(UUID().uuidString)"
        var options = TSDBOptions()
        options.retentionTime = nil
        options.blockRange = 24 * 3_600_000
        // Scripts hold few series and samples: small WAL segments and few lock stripes.
        options.walSegmentSize = 1024 * 1024
        options.headStripes = 64
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let db = try TSDB.open(directory: directory, options: options,
                                   logger: Logger(label: "pharos.promqltest") { _ in SwiftLogNoOpLogHandler() })
            opened.withLock { list in
                // Only the newest storage is used by the runner: release the earlier ones.
                for old in list { try? old.close(); try? FileManager.default.removeItem(atPath: old.directory) }
                list = [db]
            }
            return db
        } catch {
            return UnavailableStorage(reason: "cannot open a TSDB in \(directory): \(error)")
        }
    }

    package func close() {
        opened.withLock { list in
            for db in list { try? db.close() }
            list = []
        }
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Storage whose appends fail with `reason` and whose queries see nothing.
struct UnavailableStorage: Appendable, Queryable {
    var reason: String

    func makeAppender() -> any Appender { RefusingAppender(reason: reason) }

    func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                  _ body: (any Querier) async throws -> R) async throws -> R {
        throw AppendError(.unavailable, reason)
    }
}
