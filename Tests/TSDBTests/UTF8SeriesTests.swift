import Foundation
import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

/// Label names and values are bytes, as in Go: the NFC and NFD spellings of one word are two
/// label values, two series, two postings and two index symbols — in the head, after a WAL
/// replay and in a compacted block.
@Suite(.timeLimit(.minutes(5))) struct UTF8SeriesTests {
    static let nfc = "caf\u{E9}"          // é as one scalar
    static let nfd = "cafe\u{301}"        // e + combining acute accent
    static let longNFC = String(repeating: "x", count: 20) + nfc   // past the symbol table's inline limit
    static let longNFD = String(repeating: "x", count: 20) + nfd

    @Test func spellingsAreDifferentLabelsAsInGo() throws {
        #expect(Self.nfc == Self.nfd) // Swift's canonical equivalence …
        #expect(!Self.nfc.bytewiseEquals(Self.nfd)) // … is not Go's
        let a = Labels(["word": Self.nfc]), b = Labels(["word": Self.nfd])
        #expect(a != b)
        #expect(Set([a, b]).count == 2)
        // Ordered by bytes: "cafe\u{301}" (…0x65 0xCC 0x81) before "caf\u{E9}" (…0xC3 0xA9).
        #expect(Labels.compare(b, a) < 0)
        var builder = LabelsBuilder()
        builder.set(Self.nfc, "1")
        builder.set(Self.nfd, "2")
        #expect(builder.labels().count == 2)
        #expect(Labels([Label(name: "a", value: Self.nfc), Label(name: "a", value: Self.nfd)])["a"].bytewiseEquals(Self.nfd))
        #expect(try LabelMatcher(.equal, "word", Self.nfc).matches(Self.nfd) == false)
        #expect(try LabelMatcher(.notEqual, "word", Self.nfc).matches(Self.nfd))
    }

    @Test func twoSeriesInTheHeadAfterReplayAndInABlock() async throws {
        try await withTemporaryDirectory { dir in
            var options = TSDBOptions()
            options.blockRange = 1000
            let db = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            let app = db.makeAppender()
            let spellings = [Self.nfc, Self.nfd, Self.longNFC, Self.longNFD]
            for (index, word) in spellings.enumerated() {
                for t in stride(from: Int64(0), through: 2500, by: 500) {
                    try app.append(labels(["__name__": "w", "word": word]), at: t, value: Double(index))
                }
            }
            try await app.commit()
            try await Self.expectDistinct(db, spellings, through: 2500)
            try db.close()

            let replayed = try TSDB.open(directory: dir, options: options, logger: DBTests.quiet)
            try await Self.expectDistinct(replayed, spellings, through: 2500)
            let report = try replayed.maintain()
            #expect(!report.compacted.isEmpty)
            #expect(!replayed.blocks.isEmpty)
            // The block alone (0..<1000) must keep the four spellings apart too.
            try await Self.expectDistinct(replayed, spellings, through: 999)
            try replayed.close()
        }
    }

    /// Each spelling selects exactly its own series with its own value, and label values
    /// lists all four.
    static func expectDistinct(_ db: TSDB, _ spellings: [String], through maxt: Int64) async throws {
        try await db.withQuerier(from: 0, through: maxt) { querier in
            let values = try await querier.labelValues("word", matching: [])
            #expect(values.count == spellings.count)
            for spelling in spellings { #expect(values.contains { $0.bytewiseEquals(spelling) }) }
            for (index, spelling) in spellings.enumerated() {
                var set = try await querier.select([try LabelMatcher(.equal, "word", spelling)], hints: SelectHints(start: 0, end: maxt), sorted: true)
                var found: [Labels] = []
                var firstValue: Double?
                while let series = try set.next() {
                    found.append(series.labels)
                    var iterator = series.makeIterator()
                    if iterator.next() { firstValue = iterator.current.value }
                }
                #expect(found.count == 1, "\(Array(spelling.unicodeScalars))")
                #expect(found.first?["word"].bytewiseEquals(spelling) == true)
                #expect(firstValue == Double(index))
            }
        }
    }
}
