import Foundation
import Logging
import PharosCore

/// A persistence port of the embedded Alertmanager (alerts, silences, notification log): an
/// ordered log of records, replayed on start (later records win), appended to on every change
/// and compacted to the live set from time to time.
///
/// `append` hands the records over: a store may write them behind (the SQLite store does, in
/// one transaction per burst) and `load` still returns them. Implementations are thread-safe. `JSONLinesRecordStore` keeps one file in the data folder;
/// `MemoryRecordStore` is for tests.
package protocol RecordStore<Record>: Sendable {
    associatedtype Record: Sendable
    /// Every record written since the last compaction, in order; empty for a new store.
    func load() -> [Record]
    func append(_ records: [Record]) throws
    /// Replaces everything with `records`.
    func compact(_ records: [Record]) throws
}

/// Where the embedded Alertmanager keeps its named stores (`alerts`, `silences`, `nflog`,
/// `history`, `acks`, `escalations`, `silence_notices`): the server uses a SQLite database
/// (the AlertingState module), tests memory or JSON-lines files.
package protocol AlertingStateStorage: Sendable {
    func recordStore<Record: Codable & Sendable>(_ name: String, of type: Record.Type) -> any RecordStore<Record>
    /// Returns once everything handed to its stores is written (on shutdown, in tests).
    func sync()
}

extension AlertingStateStorage {
    /// Stores that write before `append` returns have nothing to wait for.
    package func sync() {}
}

/// One `<name>.jsonl` file per store in `directory`.
package struct JSONLinesStateStorage: AlertingStateStorage {
    package var directory: String
    package var logger: Logger
    package init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }
    package func recordStore<Record: Codable & Sendable>(_ name: String, of type: Record.Type) -> any RecordStore<Record> {
        JSONLinesRecordStore<Record>(path: directory + "/" + name + ".jsonl", logger: logger)
    }
}

/// Stores that live as long as the process.
package struct MemoryStateStorage: AlertingStateStorage {
    package init() {}
    package func recordStore<Record: Codable & Sendable>(_ name: String, of type: Record.Type) -> any RecordStore<Record> {
        MemoryRecordStore<Record>()
    }
}

/// A `RecordStore` in one JSON-lines file (`StateFile`), serialised by a lock.
package final class JSONLinesRecordStore<Record: Codable & Sendable>: RecordStore, Sendable {
    private let file: StateFile<Record>
    private let lock = NSLock()

    package init(path: String, logger: Logger) { file = StateFile(path: path, logger: logger) }

    package func load() -> [Record] { lock.withLock { file.load() } }
    package func append(_ records: [Record]) throws { try lock.withLock { try file.append(records) } }
    package func compact(_ records: [Record]) throws { try lock.withLock { try file.rewrite(records) } }
}

/// An in-memory `RecordStore` that keeps what was written, for tests and stateless runs.
package final class MemoryRecordStore<Record: Sendable>: RecordStore, @unchecked Sendable {
    private let lock = NSLock()
    private var records: [Record] = []

    package init(_ records: [Record] = []) { self.records = records }

    package func load() -> [Record] { lock.withLock { records } }
    package func append(_ new: [Record]) throws { lock.withLock { records += new } }
    package func compact(_ new: [Record]) throws { lock.withLock { records = new } }
}

/// An alert as the alert store writes it: labels and annotations as JSON objects, dates as the
/// store's encoder writes them.
package struct StoredAlert: Codable, Sendable, Hashable {
    package var alert: AlertmanagerAlert

    package init(_ alert: AlertmanagerAlert) { self.alert = alert }

    enum CodingKeys: String, CodingKey {
        case labels, annotations, startsAt, endsAt, generatorURL, updatedAt, timeout
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alert = AlertmanagerAlert(
            labels: Labels(try c.decode([String: String].self, forKey: .labels)),
            annotations: Labels(try c.decode([String: String].self, forKey: .annotations)),
            startsAt: try c.decode(Date.self, forKey: .startsAt), endsAt: try c.decode(Date.self, forKey: .endsAt),
            generatorURL: try c.decode(String.self, forKey: .generatorURL), updatedAt: try c.decode(Date.self, forKey: .updatedAt),
            timeout: try c.decode(Bool.self, forKey: .timeout))
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Dictionary(uniqueKeysWithValues: alert.labels.map { ($0.name, $0.value) }), forKey: .labels)
        try c.encode(Dictionary(uniqueKeysWithValues: alert.annotations.map { ($0.name, $0.value) }), forKey: .annotations)
        try c.encode(alert.startsAt, forKey: .startsAt)
        try c.encode(alert.endsAt, forKey: .endsAt)
        try c.encode(alert.generatorURL, forKey: .generatorURL)
        try c.encode(alert.updatedAt, forKey: .updatedAt)
        try c.encode(alert.timeout, forKey: .timeout)
    }
}
