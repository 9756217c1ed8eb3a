@testable import Discovery
import PharosTestSupport
import Testing

/// The DNS wire parser: good messages decode; every malformed one throws, never traps or hangs.
@Suite(.timeLimit(.minutes(2))) struct DNSMessageTests {
    /// A response to `_api._tcp.example.test SRV` with one SRV answer whose target is
    /// compressed against the question, and an A answer compressed against the target.
    static let srvResponse: [UInt8] = {
        var bytes: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]
        bytes += [4] + Array("_api".utf8) + [4] + Array("_tcp".utf8) + [7] + Array("example".utf8) + [4] + Array("test".utf8) + [0]
        bytes += [0, 33, 0, 1]
        // Answer 1: name = pointer to the question (offset 12), SRV.
        bytes += [0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60]
        let target: [UInt8] = [5] + Array("node1".utf8) + [0xc0, 22]  // node1 + pointer to "example.test"
        bytes += [0, UInt8(6 + target.count), 0, 1, 0, 10, 0x23, 0x8c] + target
        // Answer 2: A record for the SRV target (pointer to its name), 10.1.1.1.
        let targetOffset = bytes.count - target.count
        bytes += [0xc0, UInt8(targetOffset), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 1, 1]
        return bytes
    }()

    @Test func parsesCompressedAnswers() throws {
        let response = try DNSMessage.parse(Self.srvResponse)
        #expect(response.id == 0x1234 && response.isResponse && !response.truncated && response.rcode == 0)
        #expect(response.answers == [.srv(priority: 1, weight: 10, port: 9100, target: "node1.example.test."), .a("10.1.1.1")])
    }

    @Test func queryRoundTrip() throws {
        let query = try DNSMessage.query(id: 7, name: "_api._tcp.example.test", type: .srv)
        #expect(Array(query[0..<12]) == [0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1])
        let parsed = try DNSMessage.parse(query)
        #expect(parsed.id == 7 && !parsed.isResponse && parsed.answers.isEmpty)
        #expect(throws: DNSFormatError.self) { _ = try DNSMessage.query(id: 1, name: String(repeating: "a", count: 64) + ".test", type: .a) }
        #expect(throws: DNSFormatError.self) { _ = try DNSMessage.query(id: 1, name: "a..b", type: .a) }
        #expect(throws: DNSFormatError.self) {
            _ = try DNSMessage.query(id: 1, name: Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: "."), type: .a)
        }
    }

    @Test func everyTruncationThrows() {
        for end in 0..<Self.srvResponse.count {
            #expect(throws: DNSFormatError.self, "prefix of \(end) bytes") { _ = try DNSMessage.parse(Array(Self.srvResponse[..<end])) }
        }
    }

    @Test(arguments: [
        // A pointer to itself, a pointer forwards, and two pointers pointing at each other.
        ("self pointer", [0xc0, 12] as [UInt8]),
        ("forward pointer", [0xc0, 40]),
        ("pointer loop", [0xc0, 14, 0xc0, 12]),
        ("reserved label type", [0x80, 1]),
        ("label past the end", [63, 1, 2]),
    ])
    func malformedNamesThrow(_ what: String, _ name: [UInt8]) {
        let message: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0] + name + [0, 1, 0, 1]
        #expect(throws: DNSFormatError.self, "\(what)") { _ = try DNSMessage.parse(message) }
    }

    @Test func overLongNamesThrow() {
        // 130 labels of one byte each: 260 bytes, above the 255-byte limit.
        let name: [UInt8] = (0..<130).flatMap { _ in [UInt8(1), UInt8(ascii: "a")] } + [0]
        let message: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0] + name + [0, 1, 0, 1]
        #expect(throws: DNSFormatError.self) { _ = try DNSMessage.parse(message) }
    }

    @Test(arguments: [
        ("A with 5 bytes", [0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5] as [UInt8]),
        ("AAAA with 4 bytes", [0, 28, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4]),
        ("SRV shorter than its fields", [0, 33, 0, 1, 0, 0, 0, 0, 0, 3, 0, 1, 0]),
        ("SRV longer than its name", [0, 33, 0, 1, 0, 0, 0, 0, 0, 9, 0, 1, 0, 1, 0, 80, 0, 0xff, 0xff]),
        ("data past the end", [0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 2, 3, 4]),
    ])
    func badRecordLengthsThrow(_ what: String, _ record: [UInt8]) {
        let message: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0] + record
        #expect(throws: DNSFormatError.self, "\(what)") { _ = try DNSMessage.parse(message) }
    }

    @Test func randomCorruptionNeverTraps() {
        var random = SplitMix64(seed: 53)
        var failures = 0
        for _ in 0..<5_000 {
            var bytes = Self.srvResponse
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            if (try? DNSMessage.parse(bytes)) == nil { failures += 1 }
        }
        #expect(failures > 0)
        // Random garbage of every small size.
        for size in 0..<64 {
            let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = try? DNSMessage.parse(bytes)
        }
    }

    @Test(arguments: [
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] as [UInt8], "2001:db8::1"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], "::1"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1], "10.0.0.1"),
        ([0xfd, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "fd00:1:0:1::1"),
        ([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8], "1:2:3:4:5:6:7:8"),
    ])
    func ipv6TextAsGo(_ bytes: [UInt8], _ text: String) {
        #expect(DNSReader.formatIPv6(bytes) == text)
    }

    @Test func resolvConfAndSearchList() {
        let config = ResolvConf.parse("""
            # comment
            nameserver 10.0.0.2
            nameserver fd00::53 # trailing
            search corp.example svc.cluster.local
            options ndots:2 timeout:1 attempts:3
            """)
        #expect(config.servers == [.init(host: "10.0.0.2"), .init(host: "fd00::53")])
        #expect(config.ndots == 2 && config.timeout == .seconds(1) && config.attempts == 3)
        #expect(config.nameList("db") == ["db.corp.example.", "db.svc.cluster.local.", "db."])
        #expect(config.nameList("a.b.c") == ["a.b.c.", "a.b.c.corp.example.", "a.b.c.svc.cluster.local."])
        #expect(config.nameList("abs.") == ["abs."])
    }
}
