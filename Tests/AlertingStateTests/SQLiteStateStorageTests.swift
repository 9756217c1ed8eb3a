import Alerting
import AlertingState
import Foundation
import Logging
import PharosCore
import PharosTestSupport
import Testing

struct SQLiteStateStorageTests {
    static let logger = Logger(label: "test")
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func silence(_ id: String, comment: String = "c") -> Silence {
        Silence(id: id, matchers: [SilenceMatcher(name: "a", value: "b", isRegex: false)], startsAt: t0,
                endsAt: t0.addingTimeInterval(60), createdBy: "me", comment: comment)
    }

    @Test func appendLoadCompactAndReopen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/alertmanager.sqlite"
        do {
            let storage = try SQLiteStateStorage(path: path, logger: Self.logger)
            let silences = storage.recordStore("silences", of: Silence.self)
            let other = storage.recordStore("other", of: Silence.self)
            try silences.append([Self.silence("1"), Self.silence("2")])
            try silences.append([Self.silence("1", comment: "updated")])
            try other.append([Self.silence("x")])
            #expect(silences.load().map(\.comment) == ["c", "c", "updated"])
            try silences.compact([Self.silence("2")])
            #expect(silences.load().map(\.id) == ["2"])
            #expect(other.load().map(\.id) == ["x"])
        }
        let reopened = try SQLiteStateStorage(path: path, logger: Self.logger)
        #expect(reopened.recordStore("silences", of: Silence.self).load().map(\.id) == ["2"])
        #expect(reopened.recordStore("other", of: Silence.self).load().map(\.id) == ["x"])
    }

    @Test func corruptDatabaseIsMovedAsideAndAFreshOneStarts() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/alertmanager.sqlite"
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let storage = try SQLiteStateStorage(path: path, logger: Self.logger)
        let store = storage.recordStore("silences", of: Silence.self)
        #expect(store.load().isEmpty)
        try store.append([Self.silence("1")])
        #expect(store.load().count == 1)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".corrupt-") }
        #expect(aside.count == 1, "\(aside)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + aside[0])) == Data(repeating: 0x5A, count: 8192))
    }

    @Test func truncatedDatabaseIsMovedAsideToo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/alertmanager.sqlite"
        do {
            let storage = try SQLiteStateStorage(path: path, logger: Self.logger)
            try storage.recordStore("silences", of: Silence.self).append((0..<500).map { Self.silence("\($0)") })
            try storage.checkpoint()
        }
        // In the main file now; cut it in half.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: path + "-wal")
        let storage = try SQLiteStateStorage(path: path, logger: Self.logger)
        let loaded = storage.recordStore("silences", of: Silence.self).load()
        #expect(loaded.isEmpty)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.contains(".corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }  // its WAL goes along
        #expect(aside.count == 1, "\(aside)")
    }

    @Test func jsonLinesStateIsImportedOnce() throws {
        let directory = try TemporaryDirectory()
        let legacy = JSONLinesRecordStore<Silence>(path: directory.path + "/silences.jsonl", logger: Self.logger)
        try legacy.append([Self.silence("old")])
        let path = directory.path + "/alertmanager.sqlite"
        let storage = try SQLiteStateStorage(path: path, importingFrom: directory.path, logger: Self.logger)
        #expect(storage.recordStore("silences", of: Silence.self).load().map(\.id) == ["old"])
        #expect(FileManager.default.fileExists(atPath: directory.path + "/silences.jsonl.imported"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/silences.jsonl"))
        let again = try SQLiteStateStorage(path: path, importingFrom: directory.path, logger: Self.logger)
        #expect(again.recordStore("silences", of: Silence.self).load().map(\.id) == ["old"])
    }

    @Test func embeddedAlertmanagerKeepsAlertsSilencesAndHistoryAcrossARestart() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/alertmanager.sqlite"
        var configuration = EmbeddedAlertmanager.Configuration()
        let alert = AlertmanagerAlert(labels: Labels(["alertname": "A"]), startsAt: Date(), endsAt: Date().addingTimeInterval(3600),
                                      updatedAt: Date())
        var silenceID = ""
        do {
            configuration.storage = try SQLiteStateStorage(path: path, logger: Self.logger)
            let alertmanager = EmbeddedAlertmanager(configuration: configuration, logger: Self.logger)
            alertmanager.receive([alert])
            silenceID = try alertmanager.setSilence(Silence(
                matchers: [SilenceMatcher(name: "alertname", value: "A", isRegex: false)], startsAt: Date(),
                endsAt: Date().addingTimeInterval(600), createdBy: "me", comment: "x"))
            alertmanager.syncState()
        }
        configuration.storage = try SQLiteStateStorage(path: path, logger: Self.logger)
        let restarted = EmbeddedAlertmanager(configuration: configuration, logger: Self.logger)
        #expect(restarted.alerts.all.map(\.labels) == [alert.labels])
        #expect(restarted.silences.get(silenceID) != nil)
        #expect(restarted.journal.history.query().map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.firing, .silenced])
    }

    @Test func handWrittenRecordJSONDecodesToTheSameRecords() throws {
        let directory = try TemporaryDirectory()
        let storage = try SQLiteStateStorage(path: directory.path + "/alertmanager.sqlite", logger: Self.logger)
        let odd = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} é 漢 🚨 </script>"
        let alert = StoredAlert(AlertmanagerAlert(
            labels: Labels(["alertname": odd, "a": ""]), annotations: Labels(["runbook_url": "https://x/?a=1&b=<2>"]),
            startsAt: Date(timeIntervalSince1970: 1_800_000_000.123), endsAt: Date(timeIntervalSince1970: 1_800_000_060.5),
            generatorURL: odd, updatedAt: Date(timeIntervalSince1970: 1_800_000_001), timeout: true))
        let alerts = storage.recordStore("alerts", of: StoredAlert.self)
        try alerts.append([alert])
        #expect(alerts.load() == [alert])
        let entry = HistoryEntry(time: Date(timeIntervalSince1970: 1_800_000_002.25), kind: .notificationFailed, groupKey: odd,
                                 receiver: "r", labels: Labels(["x": odd]), by: "b", comment: odd, error: "500")
        let history = storage.recordStore("history", of: HistoryEntry.self)
        try history.append([entry])
        #expect(history.load() == [entry])
        let log = NotificationLogEntry(groupKey: odd, receiver: "r", integration: "webhook", index: 2, firing: [1, UInt64.max],
                                       resolved: [], timestamp: Date(timeIntervalSince1970: 1_800_000_003), expiresAt: Date(timeIntervalSince1970: 1_800_000_004))
        let nflog = storage.recordStore("nflog", of: NotificationLogEntry.self)
        try nflog.append([log])
        #expect(nflog.load() == [log])
    }
}
