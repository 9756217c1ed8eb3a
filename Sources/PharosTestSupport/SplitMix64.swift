/// A deterministic random generator (SplitMix64) for tests that generate or mutate input:
/// the same seed gives the same sequence on every platform, so a failure names its seed and
/// reproduces. Not for anything that needs unpredictability.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    package var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly drawn integer in `range`.
    package mutating func next(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }
}

/// Applies one random edit to `bytes` (for corrupted-input tests): replace a byte with one that
/// matters to text parsers, insert a random byte, delete a byte, or duplicate a short slice.
package func mutate(_ bytes: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
    var out = bytes
    guard !out.isEmpty else { return [UInt8.random(in: 0...255, using: &rng)] }
    let index = Int.random(in: 0..<out.count, using: &rng)
    let interesting: [UInt8] = Array("{}\"=, \n\t#\\0.eE+-_xN".utf8) + [0x00, 0x80, 0xC3, 0xFF]
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: out[index] = interesting.randomElement(using: &rng)!
    case 1: out.insert(UInt8.random(in: 0...255, using: &rng), at: index)
    case 2: out.remove(at: index)
    default:
        let end = min(out.count, index + Int.random(in: 1...16, using: &rng))
        out.insert(contentsOf: out[index..<end], at: index)
    }
    return out
}
