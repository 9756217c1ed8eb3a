import PharosTestSupport
import Snappy
import Testing

@Suite(.timeLimit(.minutes(5))) struct SnappyTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Hand-assembled blocks (format_description.txt) and what they decode to.
    static let knownBlocks: [(block: [UInt8], decoded: [UInt8])] = [
        ([0x00], []),
        ([0x01, 0x00, 0x61], bytes("a")),
        // literal "abcd", then copy-1 (len 8, offset 4): "abcdabcdabcd"
        ([0x0C, 0x0C] + bytes("abcd") + [0x11, 0x04], bytes("abcdabcdabcd")),
        // literal "a", then copy-2 len 10 offset 1 (overlapping run): 11 × "a"
        ([0x0B, 0x00, 0x61, 0x02 | (9 << 2), 0x01, 0x00], Array(repeating: 0x61, count: 11)),
        // literal "xy", then copy-4 len 4 offset 2: "xyxyxy"
        ([0x06, 0x04] + bytes("xy") + [0x03 | (3 << 2), 0x02, 0x00, 0x00, 0x00], bytes("xyxyxy")),
        // literal with a one-byte length (tag 60): 61 bytes
        ([0x3D, 60 << 2, 60] + Array(repeating: 0x7A, count: 61), Array(repeating: 0x7A, count: 61)),
        // literal with a two-byte length (tag 61): 300 bytes; preamble 300 = 0xAC 0x02
        ([0xAC, 0x02, 61 << 2, 0x2B, 0x01] + Array(repeating: 0x42, count: 300), Array(repeating: 0x42, count: 300)),
    ]

    @Test func knownBlocksDecode() throws {
        for (block, decoded) in Self.knownBlocks {
            #expect(try Snappy.decompress(block) == decoded)
            #expect(try Snappy.decodedLength(block) == decoded.count)
        }
    }

    /// Produced once by the reference encoder for three scrape lines repeated three times
    /// (`pip install python-snappy`, then `snappy.compress(lines * 3).hex()`); exercises a
    /// literal, copy-1 and copy-2 elements. The test needs no Python at run time.
    @Test func referenceEncoderVectorDecodes() throws {
        let hex = "e5028875707b6a6f623d226e6f6465222c696e7374616e63653d22613a39313030227d20310a5e230000624623002470726f6d6574686575732e4c00306c6f63616c686f73743a393039765400fe7700fe7700fe7700567700"
        var block: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            block.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        let lines = "up{job=\"node\",instance=\"a:9100\"} 1\nup{job=\"node\",instance=\"b:9100\"} 1\nup{job=\"prometheus\",instance=\"localhost:9090\"} 1\n"
        let expected = Self.bytes(String(repeating: lines, count: 3))
        #expect(expected.count == 357)
        #expect(try Snappy.decompress(block) == expected)
    }

    @Test func compressorOutputIsExactForSmallInputs() {
        #expect(Snappy.compress([]) == [0x00])
        #expect(Snappy.compress(Self.bytes("a")) == [0x01, 0x00, 0x61])
        // Below 17 bytes a block is one literal, as in the reference encoder.
        #expect(Snappy.compress(Self.bytes("abcdabcdabcd")) == [0x0C, 0x2C] + Self.bytes("abcdabcdabcd"))
        // 4 literal bytes, then one copy-2 of 28 bytes at offset 4.
        #expect(Snappy.compress(Self.bytes(String(repeating: "abcd", count: 8))) == [0x20, 0x0C] + Self.bytes("abcd") + [0x6E, 0x04, 0x00])
    }

    static func corpus() -> [[UInt8]] {
        var rng = SplitMix64(seed: 7)
        let text = Array(String(repeating: "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n", count: 300).utf8)
        let random = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let lowEntropy = (0..<70000).map { _ in UInt8.random(in: 0...3, using: &rng) }
        let fragmentEdges = [16, 17, 65_535, 65_536, 65_537, 131_073].map { count in
            (0..<count).map { UInt8(truncatingIfNeeded: $0 % 251 ^ $0 >> 9) }
        }
        return [[], [1], Array(repeating: 0, count: 100_000), text, random, lowEntropy,
                Array(0..<255), Array(repeating: 7, count: 67), Array(repeating: 7, count: 69)] + fragmentEdges
    }

    @Test func roundTrips() throws {
        for input in Self.corpus() {
            let block = Snappy.compress(input)
            #expect(try Snappy.decompress(block) == input, "\(input.count) bytes")
            #expect(block.count <= Snappy.maxCompressedLength(input.count))
        }
        let text = Self.corpus()[3]
        #expect(Snappy.compress(text).count < text.count / 10)
    }

    @Test func everyTruncationThrows() throws {
        let input = Array(Self.corpus()[3].prefix(3000))
        let block = Snappy.compress(input)
        for length in 0..<block.count {
            #expect(throws: SnappyError.self) { try Snappy.decompress(Array(block[..<length])) }
        }
    }

    @Test func randomCorruptionNeverCrashes() {
        var rng = SplitMix64(seed: 99)
        let blocks = Self.corpus().map(Snappy.compress)
        var failures = 0
        for _ in 0..<3000 {
            var block = blocks.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...3, using: &rng) { block = mutate(block, using: &rng) }
            do {
                let declared = try Snappy.decodedLength(block)
                let decoded = try Snappy.decompress(block, maxDecodedSize: 1 << 20)
                #expect(decoded.count == declared)
            } catch {
                failures += 1
                #expect(error.kind == .corrupt || error.kind == .limit)
                #expect(error.offset >= 0 && error.offset <= block.count)
            }
        }
        #expect(failures > 0)
    }

    @Test(arguments: [
        ([0x80] as [UInt8], "at byte 1: truncated length preamble"),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "at byte 5: length preamble is longer than 5 bytes"),
        ([0x05, 0x10, 0x61], "at byte 1: literal of 5 bytes runs past the end of the input"),
        ([0x01, 0x04, 0x61, 0x62], "at byte 1: literal of 2 bytes overflows the declared length 1"),
        ([0x05, 0x00, 0x61, 0x01, 0x02], "at byte 3: copy offset 2 is outside the 1 bytes decoded so far"),
        ([0x05, 0x00, 0x61, 0x01, 0x00], "at byte 3: copy offset 0 is outside the 1 bytes decoded so far"),
        ([0x05, 0x00, 0x61, 0x02], "at byte 3: truncated copy element"),
        ([0x03, 0x00, 0x61], "at byte 3: decoded 1 bytes but the block declares 3"),
        ([0x02, 0x00, 0x61, 0x05, 0x01], "at byte 3: copy of 5 bytes overflows the declared length 2"),
    ])
    func corruptBlocksGiveClearErrors(_ block: [UInt8], _ message: String) {
        do {
            _ = try Snappy.decompress(block)
            Issue.record("decoded a corrupt block")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func decodedSizeLimit() {
        let block = Snappy.compress(Array(repeating: 1, count: 5000))
        do {
            _ = try Snappy.decompress(block, maxDecodedSize: 4096)
            Issue.record("limit not enforced")
        } catch {
            #expect(error.kind == .limit)
            #expect(error.description == "at byte 0: decoded length 5000 exceeds the limit of 4096 bytes")
        }
    }
}
