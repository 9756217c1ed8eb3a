/// A byte count written as Prometheus' `units.Base2Bytes`: `0`, `512B`, `10KB`, `1MiB`, `1GB512MB`.
///
/// Both `KB` and `KiB` mean 1024 bytes (as Prometheus reads them); fractions are allowed
/// (`1.5MB`). Zero means "no limit" where Prometheus says so.
package struct ByteSize: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var bytes: Int64

    package init(bytes: Int64) { self.bytes = bytes }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes < rhs.bytes }

    private static let units: [String: Int64] = {
        var table: [String: Int64] = ["B": 1]
        var factor: Int64 = 1
        for prefix in ["K", "M", "G", "T", "P", "E"] {
            factor *= 1024
            table[prefix + "B"] = factor
            table[prefix + "iB"] = factor
        }
        return table
    }()

    /// Parses the text; the error `reason` says what was wrong and which units exist.
    package init(parsing text: String) throws(ByteSizeError) {
        if text == "0" {
            bytes = 0
            return
        }
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { throw ByteSizeError(text: text, reason: "empty size") }
        var index = 0
        var total = 0.0
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
        while index < scalars.count {
            let start = index
            while index < scalars.count, isDigit(scalars[index]) || scalars[index] == "." { index += 1 }
            var number = ""
            number.unicodeScalars.append(contentsOf: scalars[start..<index])
            guard let value = Double(number) else {
                throw ByteSizeError(text: text, reason: "expected a number before the unit")
            }
            let unitStart = index
            while index < scalars.count, !isDigit(scalars[index]), scalars[index] != "." { index += 1 }
            var unit = ""
            unit.unicodeScalars.append(contentsOf: scalars[unitStart..<index])
            guard let factor = ByteSize.units[unit] else {
                let shown = unit.isEmpty ? "missing unit" : "unknown unit \"\(unit)\""
                throw ByteSizeError(text: text, reason: "\(shown) (use B, KB, MB, GB, TB, PB, EB or KiB, MiB, …)")
            }
            total += value * Double(factor)
        }
        guard total < 9.2e18 else { throw ByteSizeError(text: text, reason: "size out of range") }
        bytes = Int64(total)
    }

    /// The largest exact unit: `0B`, `512B`, `10KiB`, `1MiB`… as Prometheus prints it.
    package var description: String {
        for (unit, factor) in [("EiB", Int64(1) << 60), ("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30),
                               ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes != 0 && bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return "\(bytes)B"
    }
}

package struct ByteSizeError: Error, Sendable, CustomStringConvertible {
    package var text: String
    package var reason: String
    package var description: String { "invalid size \"\(text)\": \(reason)" }
}

extension ConfigCursor {
    package func byteSize() throws(ConfigError) -> ByteSize {
        let text = try string()
        do {
            return try ByteSize(parsing: text)
        } catch {
            throw fail(error.description)
        }
    }
}
