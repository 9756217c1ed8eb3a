import Foundation
import Logging
import PharosCore
import Synchronization
import TSDB

/// Opens fresh TSDBs in subfolders of one temporary folder, for promqltest runs: one per
/// script start and per `clear`. `close()` closes them all and removes the folder.
///
/// Configured as Prometheus' test storage: a 24h block range (so a load may append up to 12h
/// before the newest sample); a series repeated in one `load` takes the values of its last
/// line, as Prometheus' promqltest keeps one definition per label set.
package final class ScratchTSDBs: Sendable {
    package let root: String
    private let opened = Mutex<[TSDB]>([])

    package init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-promqltest-\(UUID().uuidString)").path
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
            return LastSampleWins(db: db)
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

/// A TSDB whose appenders let a series appended again within a transaction (after another
/// series, or from an earlier timestamp) replace its earlier samples: promqltest loads define
/// a series repeated in one `load` by its last line.
struct LastSampleWins: Appendable, Queryable {
    let db: TSDB

    func makeAppender() -> any Appender { BufferingAppender(db.makeAppender()) }

    func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                  _ body: (any Querier) async throws -> R) async throws -> R {
        try await db.withQuerier(from: mint, through: maxt, body)
    }
}

/// Buffers a transaction, one run of samples per series (the last), and hands it to the TSDB
/// appender at commit, each series in time order; append errors surface at commit.
private final class BufferingAppender: Appender {
    private let base: any Appender
    private var order: [Labels] = []
    private var samples: [Labels: [Timestamp: (value: Double, options: AppendOptions)]] = [:]
    private var last: (labels: Labels, timestamp: Timestamp)?

    init(_ base: any Appender) { self.base = base }

    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef {
        if samples[labels] == nil {
            order.append(labels)
        } else if let last, last.labels != labels || timestamp <= last.timestamp {
            samples[labels] = [:]   // the series starts again: a later definition replaces it
        }
        samples[labels, default: [:]][timestamp] = (value, options)
        last = (labels, timestamp)
        return .unknown
    }

    func commit() async throws {
        defer { order = []; samples = [:]; last = nil }
        do {
            for labels in order {
                for (timestamp, sample) in (samples[labels] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    _ = try base.append(.unknown, labels, at: timestamp, value: sample.value, options: sample.options)
                }
            }
        } catch {
            base.rollback()
            throw error
        }
        try await base.commit()
    }

    func rollback() {
        order = []
        samples = [:]
        last = nil
        base.rollback()
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

private final class RefusingAppender: Appender {
    let reason: String
    init(reason: String) { self.reason = reason }

    func append(_ ref: SeriesRef, _ labels: Labels, at timestamp: Timestamp, value: Double,
                options: AppendOptions) throws(AppendError) -> SeriesRef {
        throw AppendError(.unavailable, reason)
    }

    func commit() async throws { throw AppendError(.unavailable, reason) }
    func rollback() {}
}
