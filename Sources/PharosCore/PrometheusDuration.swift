/// A Prometheus duration (`1h30m`, `5m`, `10s`, `1d`, `1w`, `1y`, `250ms`) in milliseconds.
///
/// Units are `y`(365d) `w` `d` `h` `m` `s` `ms`, each at most once, largest first. "0" is allowed.
package struct PrometheusDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var milliseconds: Int64

    package init(milliseconds: Int64) { self.milliseconds = milliseconds }
    package init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    package var seconds: Double { Double(milliseconds) / 1000 }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    private static let units: [(name: String, milliseconds: UInt64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses Prometheus' duration grammar (`model.ParseDuration`): digits and a unit, units
    /// from largest to smallest and each once, at most 2^63-1 ns in all (a Go `time.Duration`).
    /// The one duration parser of Pharos: configs, flags, PromQL and the HTTP API use it.
    package init(parsing text: String) throws(DurationError) {
        if text == "0" {
            milliseconds = 0
            return
        }
        guard !text.isEmpty else { throw DurationError(text: text, kind: .empty) }
        let bytes = Array(text.utf8)
        let maxNanoseconds = UInt64(Int64.max)
        var index = 0
        var nanoseconds: UInt64 = 0
        var lastUnitRank = -1
        func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        while index < bytes.count {
            let start = index
            var number: UInt64 = 0
            var numberOverflows = false
            while index < bytes.count, isDigit(bytes[index]) {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(bytes[index] - 48))
                numberOverflows = numberOverflows || o1 || o2
                number = a
                index += 1
            }
            guard index > start, !numberOverflows else { throw DurationError(text: text, kind: .invalid) }
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            guard index > unitStart else { throw DurationError(text: text, kind: .missingUnit) }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let rank = Self.units.firstIndex(where: { $0.name == unit }) else {
                throw DurationError(text: text, kind: .unknownUnit(unit))
            }
            guard rank > lastUnitRank else { throw DurationError(text: text, kind: .unitOrder) }
            lastUnitRank = rank
            let unitNanoseconds = Self.units[rank].milliseconds * 1_000_000
            guard number <= (1 << 63) / unitNanoseconds else { throw DurationError(text: text, kind: .outOfRange) }
            let (sum, overflow) = nanoseconds.addingReportingOverflow(number * unitNanoseconds)
            guard !overflow, sum <= maxNanoseconds else { throw DurationError(text: text, kind: .outOfRange) }
            nanoseconds = sum
        }
        milliseconds = Int64(nanoseconds / 1_000_000)
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

/// A duration that does not parse. `description` explains it for config files and flags;
/// `prometheusMessage` is Prometheus' own text, for places that answer as Prometheus does.
package struct DurationError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        case empty, invalid, missingUnit, unitOrder, outOfRange
        case unknownUnit(String)
    }

    package var text: String
    package var kind: Kind

    package var description: String {
        let reason = switch kind {
        case .empty: "empty duration string"
        case .invalid: "not a number followed by a unit"
        case .missingUnit: "missing unit (use ms, s, m, h, d, w, y)"
        case .unknownUnit(let unit): "unknown unit \(goQuote(unit)) (use ms, s, m, h, d, w, y)"
        case .unitOrder: "units must go from largest to smallest, each once"
        case .outOfRange: "duration out of range"
        }
        return "invalid duration \(goQuote(text)): \(reason)"
    }

    /// `model.ParseDuration`'s error text.
    package var prometheusMessage: String {
        switch kind {
        case .empty: "empty duration string"
        case .invalid, .missingUnit, .unitOrder: "not a valid duration string: \(goQuote(text))"
        case .unknownUnit(let unit): "unknown unit \(goQuote(unit)) in duration \(goQuote(text))"
        case .outOfRange: "duration out of range"
        }
    }
}
