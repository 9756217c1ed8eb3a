/// A deterministic random generator for mutation tests (SplitMix64), so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Applies one random edit: flip a byte, insert a byte, delete a byte, or duplicate a slice.
func mutate(_ bytes: [UInt8], using rng: inout SplitMix) -> [UInt8] {
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
