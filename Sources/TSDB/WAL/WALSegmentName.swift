/// Segment file names: the index as eight decimal digits (`00000042`).
package enum WALSegmentName {
    package static func name(_ index: Int) -> String {
        let digits = String(index)
        return digits.count >= 8 ? digits : String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The index named by `name`, or nil when it is not all decimal digits.
    package static func index(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(name)
    }
}
