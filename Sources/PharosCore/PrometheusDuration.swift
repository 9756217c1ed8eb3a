/// A Prometheus duration (`1h30m`, `5m`, `10s`, `1d`, `1w`, `1y`, `250ms`) in milliseconds.
///
/// Units are `y`(365d) `w` `d` `h` `m` `s` `ms`, each at most once, largest first. "0" is allowed.
package struct PrometheusDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var milliseconds: Int64

    package init(milliseconds: Int64) { self.milliseconds = milliseconds }
    package init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    package var seconds: Double { Double(milliseconds) / 1000 }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    private static let units: [(String, Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses the Prometheus syntax; throws `DurationError` naming the offending text.
    package init(parsing text: String) throws(DurationError) {
        if text == "0" {
            milliseconds = 0
            return
        }
        guard !text.isEmpty else { throw DurationError(text: text, reason: "empty duration string") }
        let bytes = Array(text.utf8)
        var index = 0
        var total: Int64 = 0
        var lastUnitRank = -1
        while index < bytes.count {
            var number: Int64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(bytes[index] - 48))
                if o1 || o2 { throw DurationError(text: text, reason: "duration out of range") }
                number = a
                index += 1
            }
            guard index > start else {
                throw DurationError(text: text, reason: "not a valid duration string")
            }
            var unitEnd = index
            while unitEnd < bytes.count, !(bytes[unitEnd] >= 48 && bytes[unitEnd] <= 57) { unitEnd += 1 }
            let unit = String(decoding: bytes[index..<unitEnd], as: UTF8.self)
            guard let rank = Self.units.firstIndex(where: { $0.0 == unit }) else {
                let shown = unit.isEmpty ? "missing unit" : "unknown unit \"\(unit)\""
                throw DurationError(text: text, reason: "\(shown) (use ms, s, m, h, d, w, y)")
            }
            guard rank > lastUnitRank else {
                throw DurationError(text: text, reason: "units must go from largest to smallest, each once")
            }
            lastUnitRank = rank
            let (product, o1) = number.multipliedReportingOverflow(by: Self.units[rank].1)
            let (sum, o2) = total.addingReportingOverflow(product)
            if o1 || o2 { throw DurationError(text: text, reason: "duration out of range") }
            total = sum
            index = unitEnd
        }
        milliseconds = total
    }

    /// Prometheus' `model.Duration.String`: `1h30m`, `5m`, `0s`, `1d`, `2w`, `1y`, `1s500ms`.
    package var description: String {
        var ms = milliseconds
        if ms == 0 { return "0s" }
        var out = ms < 0 ? "-" : ""
        ms = abs(ms)
        // Prometheus prints years and weeks only when they divide exactly.
        let yearMs: Int64 = 365 * 24 * 3_600_000, weekMs: Int64 = 7 * 24 * 3_600_000
        let dayMs: Int64 = 24 * 3_600_000
        func emit(_ unitMs: Int64, _ unit: String) {
            if ms >= unitMs {
                out += "\(ms / unitMs)\(unit)"
                ms %= unitMs
            }
        }
        if ms % yearMs == 0 { emit(yearMs, "y") }
        if ms % weekMs == 0 { emit(weekMs, "w") }
        emit(dayMs, "d")
        emit(3_600_000, "h")
        emit(60_000, "m")
        emit(1000, "s")
        emit(1, "ms")
        return out
    }
}

package struct DurationError: Error, Sendable, CustomStringConvertible {
    package var text: String
    package var reason: String
    package var description: String { "invalid duration \"\(text)\": \(reason)" }
}
