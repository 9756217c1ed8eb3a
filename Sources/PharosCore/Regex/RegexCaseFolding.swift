/// Unicode simple case folding as Go's `unicode.SimpleFold` orbits (k, K and U+212A KELVIN
/// SIGN are one orbit; s, S and U+017F LONG S another), from the generated CaseFolding table.
enum RegexCaseFolding {
    /// Every orbit with more than one member, members sorted.
    static let allOrbits: [[UInt32]] = {
        var byTarget: [UInt32: Set<UInt32>] = [:]
        for pair in RegexUnicodeTables.simpleFolds.split(separator: " ") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let code = UInt32(parts[0], radix: 16), let fold = UInt32(parts[1], radix: 16) else { continue }
            byTarget[fold, default: [fold]].insert(code)
        }
        return byTarget.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }()

    private static let orbitOf: [UInt32: Int] = {
        var out: [UInt32: Int] = [:]
        for (index, orbit) in allOrbits.enumerated() {
            for member in orbit { out[member] = index }
        }
        return out
    }()

    /// The scalars equivalent to `scalar` (itself included), or nil when it has no case variants.
    static func orbit(_ scalar: UInt32) -> [UInt32]? {
        orbitOf[scalar].map { allOrbits[$0] }
    }

    /// One representative per orbit (its smallest member): equal for case-insensitively equal scalars.
    static func canonical(_ scalar: UInt32) -> UInt32 {
        if scalar < 0x80 {
            if scalar >= 0x61 && scalar <= 0x7A { return scalar - 0x20 }
            if scalar != 0x6B && scalar != 0x73 { return scalar }   // k and s have non-ASCII variants
        }
        return orbitOf[scalar].map { allOrbits[$0][0] } ?? scalar
    }
}
