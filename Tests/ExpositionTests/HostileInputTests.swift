import Exposition
import Foundation
import PharosCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct HostileInputTests {
    @Test func manyLabelsStayLinearAndDuplicatesAreFound() throws {
        let names = (0..<20_000).map { "l\($0)=\"v\"" }
        let line = "m{" + names.joined(separator: ",") + "} 1\n"
        let (entries, error) = parseAll(line, .text004)
        #expect(error == nil)
        if case let .series(labels, _, _, _) = entries.first { #expect(labels.count == 20_001) }
        let duplicate = "m{" + names.joined(separator: ",") + ",l17=\"x\"} 1\n"
        #expect(parseAll(duplicate, .text004).error?.message == "duplicate label name \"l17\"")
        let early = "m{" + names.prefix(20).joined(separator: ",") + ",l3=\"x\"} 1\n"
        #expect(parseAll(early, .text004).error?.message == "duplicate label name \"l3\"")
    }

    @Test func hugeLineWithoutNewlineEnds() {
        let bytes = Array("m{a=\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 2_000_000)
        let (_, error) = parseAll(bytes, .text004)
        #expect(error?.message == "unterminated quoted label value: no closing '\"' before the end of the line")
    }
}
