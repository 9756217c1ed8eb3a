import Alerting
import Foundation
import GRDB
import Logging

/// The embedded Alertmanager's state in one SQLite database (`alertmanager.sqlite` in the
/// data folder), through GRDB: every named store is a log of JSON records in one table,
/// replayed in order on start, appended to and compacted by one writer (`StateWriter`).
///
/// Appends are written behind: the caller hands records over and goes on, and the writer
/// thread writes everything handed over meanwhile, in order, in one transaction — so an alert
/// POST or a notification never waits for SQLite, and a burst costs one commit, not one per
/// request. The database runs in WAL mode with `synchronous=NORMAL`: a committed write
/// survives a `kill -9` of Pharos; what a `kill -9` can lose is the one transaction being
/// written (milliseconds of changes). `sync()` waits for everything handed over. A database that cannot be opened or fails SQLite's `quick_check` is
/// reported and moved aside (`alertmanager.sqlite.corrupt-<unix time>`) and a fresh one is
/// started, so a damaged file never stops Pharos from starting. JSON-lines state files from
/// earlier Pharos versions are imported once, then renamed `<name>.jsonl.imported`.
package final class SQLiteStateStorage: AlertingStateStorage, Sendable {
    package let path: String
    let queue: DatabaseQueue
    let writer: StateWriter
    let logger: Logger
    private let legacyDirectory: String?

    /// Opens (or creates) the database at `path`; `importingFrom` is the folder to look in for
    /// JSON-lines state files to take over.
    package init(path: String, importingFrom legacyDirectory: String? = nil, logger: Logger) throws {
        self.path = path
        self.logger = logger
        self.legacyDirectory = legacyDirectory
        do {
            queue = try Self.open(path)
        } catch {
            let aside = path + ".corrupt-\(Int(Date().timeIntervalSince1970))"
            let moved = rename(path, aside) == 0
            for suffix in ["-wal", "-shm"] { _ = rename(path + suffix, aside + suffix) }
            logger.error("The Alertmanager state database is corrupt; moved aside, starting empty", metadata: [
                "alerting.state.file": "\(path)", "alerting.state.moved_to": "\(moved ? aside : "")",
                "alerting.state.error": "\(error)",
            ])
            queue = try Self.open(path)
        }
        writer = StateWriter(queue: queue, logger: logger)
    }

    package func sync() { writer.sync() }

    /// Syncs, then moves the WAL into the main database file, so that file alone holds the state.
    package func checkpoint() throws {
        writer.sync()
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Opens, checks and migrates the database; throws when it is not a healthy SQLite file.
    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let check = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
        guard check == "ok" else { throw StateDatabaseError("quick_check: \(check ?? "no answer")") }
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS records (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    store TEXT NOT NULL,
                    body BLOB NOT NULL
                );
                CREATE INDEX IF NOT EXISTS records_by_store ON records (store, seq);
                """)
        }
        return queue
    }

    package func recordStore<Record: Codable & Sendable>(_ name: String, of type: Record.Type) -> any RecordStore<Record> {
        let store = SQLiteRecordStore<Record>(queue: queue, writer: writer, name: name, logger: logger)
        if let legacyDirectory { store.importLegacy(from: legacyDirectory + "/" + name + ".jsonl") }
        return store
    }
}

struct StateDatabaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One named store in the state database.
final class SQLiteRecordStore<Record: Codable & Sendable>: RecordStore, Sendable {
    let queue: DatabaseQueue
    let writer: StateWriter
    let name: String
    let logger: Logger

    init(queue: DatabaseQueue, writer: StateWriter, name: String, logger: Logger) {
        self.queue = queue
        self.writer = writer
        self.name = name
        self.logger = logger
    }

    /// Every record in order (what was handed over before included); a row that no longer
    /// decodes is skipped and reported.
    func load() -> [Record] {
        writer.sync()
        let bodies: [Data]
        do {
            bodies = try queue.read { db in
                try Data.fetchAll(db, sql: "SELECT body FROM records WHERE store = ? ORDER BY seq", arguments: [name])
            }
        } catch {
            logger.error("Cannot read the Alertmanager state", metadata: ["alerting.state.store": "\(name)", "alerting.state.error": "\(error)"])
            return []
        }
        let decoder = Self.decoder
        var records: [Record] = []
        records.reserveCapacity(bodies.count)
        var skipped = 0
        for body in bodies {
            if let record = try? decoder.decode(Record.self, from: body) { records.append(record) } else { skipped += 1 }
        }
        if skipped > 0 {
            logger.error("Skipped state records that do not decode", metadata: [
                "alerting.state.store": "\(name)", "alerting.state.skipped": "\(skipped)",
            ])
        }
        return records
    }

    /// Hands `records` to the writer; they are encoded and written on its thread.
    func append(_ records: [Record]) throws {
        guard !records.isEmpty else { return }
        writer.submit(StateWriter.Operation(store: name, replace: false) { try Self.encode(records) })
    }

    func compact(_ records: [Record]) throws {
        writer.submit(StateWriter.Operation(store: name, replace: true) { try Self.encode(records) })
    }

    private static func encode(_ records: [Record]) throws -> [Data] {
        if Record.self is any RecordJSONWritable.Type {
            return records.map { record in
                var writer = RecordJSONWriter()
                (record as! any RecordJSONWritable).writeRecordJSON(to: &writer)
                return Data(writer.bytes)
            }
        }
        let encoder = Self.encoder
        return try records.map { try encoder.encode($0) }
    }

    /// Takes over `<name>.jsonl` when this store is still empty.
    func importLegacy(from path: String) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            let empty = try queue.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE store = ?", arguments: [name]) == 0
            }
            if empty {
                try append(JSONLinesRecordStore<Record>(path: path, logger: logger).load())
                writer.sync()
            }
            _ = rename(path, path + ".imported")
            logger.info("Imported a JSON-lines state file into the state database", metadata: ["alerting.state.file": "\(path)"])
        } catch {
            logger.error("Cannot import a JSON-lines state file", metadata: ["alerting.state.file": "\(path)", "alerting.state.error": "\(error)"])
        }
    }

    static var encoder: JSONEncoder { StateFile<Record>.encoder }
    static var decoder: JSONDecoder { StateFile<Record>.decoder }
}

/// The state database's one writer: a thread of its own that writes the operations every store
/// hands over, in the order they came, as many as are waiting in one transaction.
///
/// A transaction that fails (disk full, I/O error) is logged with what it held and dropped:
/// the in-memory state stays right, and the next compaction writes the live set again.
final class StateWriter: @unchecked Sendable {
    struct Operation: Sendable {
        var store: String
        /// Compaction: the store's rows are deleted before the new ones are written.
        var replace: Bool
        var bodies: @Sendable () throws -> [Data]
    }

    private let queue: DatabaseQueue
    private let logger: Logger
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Operation] = []
    private var handedOver: UInt64 = 0
    private var written: UInt64 = 0

    init(queue: DatabaseQueue, logger: Logger) {
        self.queue = queue
        self.logger = logger
        // The thread holds the writer only while it waits (at most a second) or writes, so a
        // storage nobody uses any more is released and its database closed.
        let thread = Thread { [weak self] in
            while let writer = self {
                writer.writeWaiting(upTo: Date(timeIntervalSinceNow: 1))
            }
        }
        thread.name = "pharos-alerting-state"
        thread.start()
    }

    func submit(_ operation: Operation) {
        condition.lock()
        pending.append(operation)
        handedOver += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until everything handed over before the call is written (or has failed).
    func sync() {
        condition.lock()
        let target = handedOver
        while written < target { condition.wait() }
        condition.unlock()
    }

    /// Writes what is waiting, or what comes before `deadline`.
    private func writeWaiting(upTo deadline: Date) {
        condition.lock()
        while pending.isEmpty {
            if !condition.wait(until: deadline) {
                condition.unlock()
                return
            }
        }
        let batch = pending
        pending = []
        condition.unlock()
        write(batch)
        condition.lock()
        written += UInt64(batch.count)
        condition.broadcast()
        condition.unlock()
    }

    private func write(_ batch: [Operation]) {
        var encoded: [(Operation, [Data])] = []
        encoded.reserveCapacity(batch.count)
        for operation in batch {
            do {
                encoded.append((operation, try operation.bodies()))
            } catch {
                logger.error("Cannot encode Alertmanager state", metadata: [
                    "alerting.state.store": "\(operation.store)", "alerting.state.error": "\(error)",
                ])
            }
        }
        do {
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO records (store, body) VALUES (?, ?)")
                for (operation, bodies) in encoded {
                    if operation.replace {
                        try db.execute(sql: "DELETE FROM records WHERE store = ?", arguments: [operation.store])
                    }
                    for body in bodies { try insert.execute(arguments: [operation.store, body]) }
                }
            }
        } catch {
            logger.error("Cannot write Alertmanager state", metadata: [
                "alerting.state.stores": "\(Set(encoded.map(\.0.store)).sorted())",
                "alerting.state.records": "\(encoded.reduce(0) { $0 + $1.1.count })", "alerting.state.error": "\(error)",
            ])
        }
    }
}
