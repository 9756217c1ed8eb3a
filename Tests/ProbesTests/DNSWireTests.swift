@testable import Probes
import Testing

/// The DNS codec: a query's bytes, answers printed as miekg/dns prints them, and broken
/// messages refused (truncated at every offset, pointer loops, bad lengths), never a crash.
@Suite struct DNSWireTests {
    /// A reply to `node1.example.test A` with one A record (compressed owner) and one TXT.
    static let reply: [UInt8] = [
        0x12, 0x34, 0x84, 0x00, 0, 1, 0, 2, 0, 0, 0, 0,
        5, 110, 111, 100, 101, 49, 7, 101, 120, 97, 109, 112, 108, 101, 4, 116, 101, 115, 116, 0, 0, 1, 0, 1,
        0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4, 10, 1, 1, 1,
        0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 6, 5, 104, 34, 108, 108, 111,
    ]

    @Test func query() throws {
        let bytes = try DNSWire.query(id: 0xABCD, name: "a.bc", type: 1, class: 1, recursionDesired: true)
        #expect(bytes == [0xAB, 0xCD, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 97, 2, 98, 99, 0, 0, 1, 0, 1])
        #expect(throws: DNSWireError.self) { try DNSWire.query(id: 1, name: "a..b", type: 1, class: 1, recursionDesired: true) }
    }

    @Test func answersPrintAsMiekg() throws {
        let response = try DNSResponse(parsing: Self.reply)
        #expect(response.id == 0x1234)
        #expect(response.rcode == 0)
        #expect(response.answer.map(\.description) == [
            "node1.example.test.\t3600\tIN\tA\t10.1.1.1",
            "node1.example.test.\t60\tIN\tTXT\t\"h\\\"llo\"",
        ])
    }

    @Test func truncatedAtEveryOffsetIsRefused() {
        for length in 0..<Self.reply.count {
            #expect(throws: DNSWireError.self, "prefix of \(length) bytes") { try DNSResponse(parsing: Array(Self.reply.prefix(length))) }
        }
    }

    @Test(arguments: [
        ("pointer loop", Array(reply.prefix(36)) + [0xC0, 36, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]),
        ("pointer past the end", Array(reply.prefix(36)) + [0xC0, 0xFF, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4]),
        ("A record of 3 bytes", Array(reply.prefix(36)) + [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3]),
        ("TXT string past its record", Array(reply.prefix(36)) + [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 1, 0, 2, 5, 65]),
        ("bad label type", Array(reply.prefix(36)) + [0x80, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0]),
    ] as [(String, [UInt8])])
    func corruptIsRefused(name: String, bytes: [UInt8]) {
        var patched = bytes
        patched[7] = 1  // one answer
        #expect(throws: DNSWireError.self, "\(name)") { try DNSResponse(parsing: patched) }
    }

    @Test func randomBytesNeverCrash() {
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 80) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            _ = try? DNSResponse(parsing: bytes)
        }
    }
}
