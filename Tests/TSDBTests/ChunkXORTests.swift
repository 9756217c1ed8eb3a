import PharosCore
import PharosTestSupport
import Testing
@testable import TSDB

func decodeAll(_ bytes: [UInt8]) -> (samples: [Sample], error: TSDBError?) {
    var iterator = XORIterator(bytes: bytes)
    var out: [Sample] = []
    while iterator.next() {
        out.append(Sample(timestamp: iterator.current.timestamp, value: iterator.current.value))
    }
    return (out, iterator.error)
}

/// Bitwise equality, so NaN payloads (stale markers) are compared exactly.
func sameBits(_ a: [Sample], _ b: [Sample]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.timestamp == $1.timestamp && $0.value.bitPattern == $1.value.bitPattern }
}

@Suite(.timeLimit(.minutes(5))) struct ChunkXORTests {
    @Test func encodesPrometheusBytesForAHandComputedChunk() {
        var chunk = XORChunk()
        chunk.append(timestamp: 1000, value: 1)
        chunk.append(timestamp: 2000, value: 1)
        chunk.append(timestamp: 3000, value: 2)
        // Header 3; varint(1000)=D0 0F; 1.0 raw; uvarint(1000)=E8 07; then bits
        // 0 (same value) 0 (dod 0) 1 1 00001 001011 11111111111 (XOR of 1.0 and 2.0).
        #expect(chunk.bytes == [0x00, 0x03, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xE8, 0x07, 0x30, 0x97, 0xFF, 0xC0])
        #expect(chunk.count == 3)
        #expect(chunk.firstTimestamp == 1000 && chunk.lastTimestamp == 3000)
    }

    @Test func emptyChunkIsJustAHeader() {
        let chunk = XORChunk()
        #expect(chunk.bytes == [0, 0])
        #expect(decodeAll(chunk.bytes).samples.isEmpty)
        #expect(decodeAll(chunk.bytes).error == nil)
    }

    static let bucketCases: [[Int64]] = [
        [0, 15_000, 30_000, 45_000],
        [-5, 0, 8192 + 5, 8192 * 2 + 5],                 // dod = +8192: widest 14-bit value
        [0, 10_000, 10_000 + 10_000 - 8191, 30_000],     // dod = -8191: narrowest 14-bit value
        [0, 10_000, 10_000 + 10_000 - 8192, 40_000],     // dod = -8192: needs 17 bits
        [0, 1, 65_538, 65_539 + 524_288],                // 17- and 20-bit boundaries
        [0, 1, 3_000_000_000, 3_000_000_001],            // 64-bit dod
        [Int64.min / 4, 0, Int64.max / 4, Int64.max / 4 + 1], // huge jumps
    ]

    @Test(arguments: bucketCases)
    func timestampsRoundTripAcrossDodBuckets(_ timestamps: [Int64]) {
        var chunk = XORChunk()
        var samples: [Sample] = []
        for (index, timestamp) in timestamps.enumerated() { samples.append(Sample(timestamp: timestamp, value: Double(index))) }
        for sample in samples { chunk.append(timestamp: sample.timestamp, value: sample.value) }
        let decoded = decodeAll(chunk.bytes)
        #expect(decoded.error == nil)
        #expect(sameBits(decoded.samples, samples))
    }

    @Test func specialValuesRoundTripBitExactly() {
        let values: [Double] = [0, -0.0, 1, .nan, StaleNaN.value, .infinity, -.infinity, 1e-300,
                                .greatestFiniteMagnitude, StaleNaN.value, StaleNaN.value, 42, -42.5, .leastNonzeroMagnitude]
        var chunk = XORChunk()
        let samples = values.enumerated().map { Sample(timestamp: Int64($0.offset) * 1000, value: $0.element) }
        for sample in samples { chunk.append(timestamp: sample.timestamp, value: sample.value) }
        let decoded = decodeAll(chunk.bytes)
        #expect(decoded.error == nil)
        #expect(sameBits(decoded.samples, samples))
        #expect(decoded.samples[4].value.isStaleMarker)
    }

    @Test(arguments: 1...25)
    func randomSeriesRoundTrip(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        var chunk = XORChunk()
        var samples: [Sample] = []
        var t = Int64.random(in: -1_000_000_000_000...2_000_000_000_000, using: &rng)
        var v = Double.random(in: -1000...1000, using: &rng)
        for _ in 0..<Int.random(in: 1...400, using: &rng) {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: t += Int64.random(in: 1...Int64(1) << 40, using: &rng)
            case 1, 2: t += Int64.random(in: 1...100_000, using: &rng)
            default: t += 15_000
            }
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: v = StaleNaN.value
            case 1: v = Double(bitPattern: rng.next())
            case 2: v = [Double.infinity, -.infinity, .nan][Int.random(in: 0..<3, using: &rng)]
            case 3, 4: break
            default: v = (v.isFinite ? v : 0) + Double(Int.random(in: -5...5, using: &rng))
            }
            samples.append(Sample(timestamp: t, value: v))
            chunk.append(timestamp: t, value: v)
        }
        let decoded = decodeAll(chunk.bytes)
        #expect(decoded.error == nil)
        #expect(sameBits(decoded.samples, samples))
        #expect(XORIterator(bytes: chunk.bytes).announcedCount == samples.count)
    }

    @Test func seekStaysForwardAndFindsFirstAtOrAfter() {
        var chunk = XORChunk()
        for i in 0..<100 { chunk.append(timestamp: Int64(i) * 10, value: Double(i)) }
        var iterator = chunk.makeIterator()
        let found = iterator.seek(to: 55)
        #expect(found && iterator.current.timestamp == 60)
        let stayed = iterator.seek(to: 0) // never moves back
        #expect(stayed && iterator.current.timestamp == 60)
        let advanced = iterator.next()
        #expect(advanced && iterator.current.timestamp == 70)
        let beyond = iterator.seek(to: 10_000)
        let after = iterator.next()
        #expect(!beyond && !after)
    }

    @Test func everyTruncationEndsCleanlyWithAnError() {
        var chunk = XORChunk()
        var rng = SplitMix64(seed: 7)
        for i in 0..<120 {
            chunk.append(timestamp: Int64(i) * 15_000 + Int64.random(in: 0...50, using: &rng), value: Double(bitPattern: rng.next()))
        }
        let full = decodeAll(chunk.bytes).samples
        #expect(full.count == 120)
        for length in 0..<chunk.bytes.count {
            let decoded = decodeAll(Array(chunk.bytes.prefix(length)))
            #expect(decoded.samples.count < 120)
            #expect(sameBits(decoded.samples, Array(full.prefix(decoded.samples.count))))
            if length > 0 { #expect(decoded.error != nil, "length \(length)") }
        }
    }

    @Test func corruptedBytesNeverCrash() {
        var chunk = XORChunk()
        for i in 0..<120 { chunk.append(timestamp: Int64(i) * 15_000, value: Double(i % 7) * 1.5) }
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2000 {
            var bytes = chunk.bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            var iterator = XORIterator(bytes: bytes)
            var n = 0
            while iterator.next() { n += 1 }
            #expect(n <= iterator.announcedCount)
        }
        let garbage = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var iterator = XORIterator(bytes: [0xFF, 0xFF] + garbage)
        while iterator.next() {}
        #expect(iterator.error != nil)
        #expect(decodeAll([0x01]).error != nil)
    }
}
