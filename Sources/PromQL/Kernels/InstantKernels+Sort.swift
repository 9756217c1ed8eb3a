import PharosCore

/// Orderings and formatting used by `sort`, `sort_desc`, `sort_by_label(_desc)` and
/// `count_values`.
extension InstantKernels {
    /// `sort` (`descending == false`) and `sort_desc` order: by value, NaN always last.
    /// Equal values keep no particular order (Prometheus' sort is not stable either).
    package static func valueSortsBefore(_ a: Double, _ b: Double, descending: Bool) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return descending ? a > b : a < b
    }

    /// `sort_by_label(v, labels…)` order: natural order of each listed label's value (absent
    /// is ""), then the full label sets (Prometheus' `labels.Compare`) to break ties.
    /// `sort_by_label_desc` reverses both steps.
    package static func labelsSortBefore(_ a: Labels, _ b: Labels, by names: [String], descending: Bool) -> Bool {
        for name in names {
            let x = a[name], y = b[name]
            if x == y { continue }
            return naturalLess(x, y) != descending
        }
        let order = Labels.compare(a, b)
        return descending ? order > 0 : order < 0
    }

    /// Natural ("version") string order after `facette/natsort`, which Prometheus uses: the
    /// strings are cut into runs of ASCII digits and of non-digits; runs that are both numbers
    /// compare numerically, others byte-wise; a string that is a prefix of the other sorts first.
    /// Meant for unequal strings (for equal ones it returns true, like the original).
    package static func naturalLess(_ a: String, _ b: String) -> Bool {
        let chunksA = chunks(a), chunksB = chunks(b)
        for (i, chunkA) in chunksA.enumerated() {
            guard i < chunksB.count else { return false }
            let chunkB = chunksB[i]
            if let numberA = Int(chunkA), let numberB = Int(chunkB) {
                if numberA != numberB { return numberA < numberB }
            } else if chunkA != chunkB {
                return chunkA.utf8.lexicographicallyPrecedes(chunkB.utf8)
            }
            if i == chunksA.count - 1 { return true }
            if i == chunksB.count - 1 { return false }
        }
        return false
    }

    private static func chunks(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var inDigits: Bool?
        for index in text.indices {
            let isDigit = text[index].isASCII && text[index].isNumber
            if let current = inDigits, current != isDigit {
                result.append(text[start..<index])
                start = index
            }
            inDigits = isDigit
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest round-tripping digits, never in
    /// exponent form (`1e+21` → "1000000000000000000000", `1e-7` → "0.0000001", `100` → "100");
    /// NaN, +Inf and -Inf as "NaN", "+Inf", "-Inf". Used for `count_values` label values.
    package static func formatFloatPositional(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        var text = "\(Swift.abs(value))"   // shortest round-trip digits, maybe with an exponent
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0]), fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        // Trim leading zeros (keeping the point position in step) and trailing zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.count > 1, digits.last == "0", digits.count > pointPosition { digits.removeLast() }
        let result: String
        if pointPosition <= 0 {
            result = "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            result = digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            result = digits[..<split] + "." + digits[split...]
        }
        return (value.sign == .minus ? "-" : "") + result
    }
}
