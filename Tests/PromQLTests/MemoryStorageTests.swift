import PharosCore
import PharosTestSupport
import Testing

@Suite(.timeLimit(.minutes(5))) struct MemoryStorageTests {
    @Test func samplesAreInvisibleUntilCommit() async throws {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        try appender.append(Labels(["__name__": "m"]), at: 10, value: 1)
        #expect(storage.seriesCount == 0)
        try await appender.commit()
        #expect(storage.seriesCount == 1)
    }

    @Test func rollbackDiscards() throws {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        try appender.append(Labels(["__name__": "m"]), at: 10, value: 1)
        appender.rollback()
        #expect(storage.seriesCount == 0)
    }

    @Test func selectSortsFiltersAndKeepsSampleOrder() async throws {
        let storage = MemoryStorage()
        let appender = storage.makeAppender()
        try appender.append(Labels(["__name__": "m", "i": "b"]), at: 20, value: 2)
        try appender.append(Labels(["__name__": "m", "i": "b"]), at: 10, value: 1)
        try appender.append(Labels(["__name__": "m", "i": "a"]), at: 10, value: 5)
        try appender.append(Labels(["__name__": "other"]), at: 10, value: 9)
        try await appender.commit()
        let result: [String] = try await storage.withQuerier(from: 0, through: 100) { querier in
            var set = try await querier.select([.equal("__name__", "m")], hints: nil, sorted: true)
            var out: [String] = []
            while let series = try set.next() {
                var iterator = series.makeIterator()
                while iterator.next() { out.append("\(series.labels["i"])@\(iterator.current.timestamp)") }
            }
            return out
        }
        #expect(result == ["a@10", "b@10", "b@20"])
        let names = try await storage.withQuerier(from: 0, through: 100) { try await $0.labelNames(matching: []) }
        #expect(names == ["__name__", "i"])
        storage.clear()
        #expect(storage.seriesCount == 0)
    }

    @Test func rejectsEmptyLabels() {
        let appender = MemoryStorage().makeAppender()
        #expect(throws: AppendError.self) { try appender.append(Labels.empty, at: 0, value: 1) }
    }
}
