/// A ULID: 48 bits of Unix milliseconds then 80 random bits, printed as 26 Crockford base32
/// characters so names sort by creation time (the block folder name, as in Prometheus).
package struct ULID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package let value: UInt128

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    package init(value: UInt128) { self.value = value }

    /// A ULID for `milliseconds` with randomness from `generator`.
    package init(milliseconds: Int64, using generator: inout some RandomNumberGenerator) {
        let time = UInt128(UInt64(bitPattern: milliseconds) & 0xFFFF_FFFF_FFFF)
        let random = UInt128(generator.next() as UInt64) << 16 | UInt128(generator.next() as UInt16)
        value = time << 80 | random
    }

    /// A ULID for `milliseconds` with system randomness.
    package init(milliseconds: Int64) {
        var generator = SystemRandomNumberGenerator()
        self.init(milliseconds: milliseconds, using: &generator)
    }

    /// Parses 26 Crockford base32 characters (case-insensitive); nil when invalid.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 26 else { return nil }
        var result: UInt128 = 0
        for (index, byte) in bytes.enumerated() {
            let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            guard let digit = ULID.alphabet.firstIndex(of: upper) else { return nil }
            if index == 0 && digit > 7 { return nil }   // would overflow 128 bits
            result = result << 5 | UInt128(digit)
        }
        value = result
    }

    /// Milliseconds since the Unix epoch encoded in the first 48 bits.
    package var milliseconds: Int64 { Int64(UInt64(truncatingIfNeeded: value >> 80)) }

    package var description: String {
        var out = [UInt8](repeating: 0, count: 26)
        for index in 0..<26 {
            let shift = 125 - 5 * index
            out[index] = ULID.alphabet[Int(truncatingIfNeeded: (value >> UInt128(shift)) & 31)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func < (lhs: ULID, rhs: ULID) -> Bool { lhs.value < rhs.value }
}
