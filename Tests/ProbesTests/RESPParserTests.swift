@testable import Probes
import Testing

/// RESP replies: each kind, incomplete input asks for more, broken input is refused.
@Suite struct RESPParserTests {
    @Test(arguments: [
        ("+PONG\r\n", RESPValue.simple("PONG")),
        ("-NOAUTH Authentication required.\r\n", .error("NOAUTH Authentication required.")),
        (":42\r\n", .integer(42)),
        ("$4\r\nPONG\r\n", .bulk(Array("PONG".utf8))),
        ("$-1\r\n", .bulk(nil)),
        ("*2\r\n+a\r\n:1\r\n", .array([.simple("a"), .integer(1)])),
        ("*-1\r\n", .array(nil)),
    ])
    func parses(text: String, want: RESPValue) throws {
        let bytes = Array(text.utf8)
        let (value, used) = try #require(try RESPParser.parse(bytes))
        #expect(value == want)
        #expect(used == bytes.count)
        for length in 0..<bytes.count { #expect(try RESPParser.parse(Array(bytes.prefix(length))) == nil, "prefix \(length)") }
    }

    @Test(arguments: ["?x\r\n", ":4x\r\n", "$-2\r\n", "$3\r\nabcd\r\n", "*x\r\n", "*1\r\n!\r\n"])
    func refuses(text: String) {
        #expect(throws: RESPError.self) { try RESPParser.parse(Array(text.utf8)) }
    }

    @Test func deepNestingIsRefused() {
        #expect(throws: RESPError.self) { try RESPParser.parse(Array((String(repeating: "*1\r\n", count: 40) + ":1\r\n").utf8)) }
    }

    @Test func command() {
        #expect(RESPValue.command(["AUTH", "pw"]) == Array("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n".utf8))
    }
}
