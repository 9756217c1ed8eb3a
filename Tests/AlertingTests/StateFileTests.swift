import Alerting
import Foundation
import Logging
import PharosTestSupport
import Testing

struct StateFileTests {
    @Test func appendLoadCompactAndTornTail() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/s.jsonl"
        let store = JSONLinesRecordStore<Silence>(path: path, logger: Logger(label: "test"))
        let silence = Silence(id: "a", matchers: [SilenceMatcher(name: "x", value: "y", isRegex: false)],
                              startsAt: Date(timeIntervalSince1970: 1), endsAt: Date(timeIntervalSince1970: 2), createdBy: "", comment: "")
        try store.append([silence, silence])
        #expect(store.load().count == 2)
        try store.compact([silence])
        #expect(store.load() == [silence])
        // A torn last line (kill -9 mid-write) is dropped.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"id":"b","#.utf8))
        try handle.close()
        #expect(store.load() == [silence])
    }

    @Test func corruptFileIsMovedAside() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/s.jsonl"
        try Data("garbage\n{\"also\": 1}\n".utf8).write(to: URL(fileURLWithPath: path))
        let store = JSONLinesRecordStore<Silence>(path: path, logger: Logger(label: "test"))
        #expect(store.load().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.contains { $0.hasPrefix("s.jsonl.corrupt-") })
    }
}
