import Alerting
import Foundation
import GRDB
import Logging

/// The embedded Alertmanager's state in one SQLite database (`alertmanager.sqlite` in the
/// data folder), through GRDB: every named store is a log of JSON records in one table,
/// replayed in order on start, appended to in a transaction per change, and compacted by
/// rewriting that store's rows.
///
/// The database runs in WAL mode with `synchronous=NORMAL`: a committed append survives a
/// `kill -9` of Pharos. A database that cannot be opened or fails SQLite's `quick_check` is
/// reported and moved aside (`alertmanager.sqlite.corrupt-<unix time>`) and a fresh one is
/// started, so a damaged file never stops Pharos from starting. JSON-lines state files from
/// earlier Pharos versions are imported once, then renamed `<name>.jsonl.imported`.
package final class SQLiteStateStorage: AlertingStateStorage, Sendable {
    package let path: String
    let queue: DatabaseQueue
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
        let store = SQLiteRecordStore<Record>(queue: queue, name: name, logger: logger)
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
    let name: String
    let logger: Logger

    init(queue: DatabaseQueue, name: String, logger: Logger) {
        self.queue = queue
        self.name = name
        self.logger = logger
    }

    /// Every record in order; a row that no longer decodes is skipped and reported.
    func load() -> [Record] {
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

    func append(_ records: [Record]) throws {
        guard !records.isEmpty else { return }
        let bodies = try encode(records)
        try queue.write { db in try insert(bodies, db) }
    }

    func compact(_ records: [Record]) throws {
        let bodies = try encode(records)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM records WHERE store = ?", arguments: [name])
            try insert(bodies, db)
        }
    }

    private func insert(_ bodies: [Data], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO records (store, body) VALUES (?, ?)")
        for body in bodies { try statement.execute(arguments: [name, body]) }
    }

    private func encode(_ records: [Record]) throws -> [Data] {
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
            if empty { try append(JSONLinesRecordStore<Record>(path: path, logger: logger).load()) }
            _ = rename(path, path + ".imported")
            logger.info("Imported a JSON-lines state file into the state database", metadata: ["alerting.state.file": "\(path)"])
        } catch {
            logger.error("Cannot import a JSON-lines state file", metadata: ["alerting.state.file": "\(path)", "alerting.state.error": "\(error)"])
        }
    }

    static var encoder: JSONEncoder { StateFile<Record>.encoder }
    static var decoder: JSONDecoder { StateFile<Record>.decoder }
}
