import PharosCore

/// Builds kernel inputs from promqltest's series notation, so cases read like the
/// conformance scripts in /work/shared/conformance/promql they were taken from.
enum KernelFixtures {
    /// Expands e.g. `"0+10x4 0 50 _ NaN -Inf 8000-10x3 7x2"` into samples every `step` ms from
    /// `start`: `a+bxn`/`a-bxn` give n+1 values, `axn` repeats a n+1 times, `_` leaves a gap.
    static func series(_ notation: String, step: Int64, start: Int64 = 0) -> [Sample] {
        var samples: [Sample] = []
        var t = start
        for token in notation.split(separator: " ") {
            if token == "_" { t += step; continue }
            if let x = token.lastIndex(of: "x"), let count = Int(token[token.index(after: x)...]) {
                let head = token[..<x]
                var initial: Double, increment = 0.0
                if let sign = head.dropFirst().lastIndex(where: { $0 == "+" || $0 == "-" }),
                   head[head.index(before: sign)] != "e" {
                    initial = value(head[..<sign])
                    increment = value(head[head.index(after: sign)...]) * (head[sign] == "-" ? -1 : 1)
                } else {
                    initial = value(head)
                }
                for i in 0...count {
                    samples.append(Sample(timestamp: t, value: initial + Double(i) * increment))
                    t += step
                }
                continue
            }
            samples.append(Sample(timestamp: t, value: value(token)))
            t += step
        }
        return samples
    }

    /// The samples in the left-open window `(at - range, at]`.
    static func window(_ samples: [Sample], at: Int64, range: Int64) -> ArraySlice<Sample> {
        let lower = samples.firstIndex { $0.timestamp > at - range } ?? samples.endIndex
        let upper = samples.lastIndex { $0.timestamp <= at }.map { $0 + 1 } ?? samples.startIndex
        return lower < upper ? samples[lower..<upper] : samples[samples.endIndex...]
    }

    static func value(_ text: Substring) -> Double {
        switch text {
        case "Inf", "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard let number = Double(text) else { fatalError("fixture: not a number: \(text)") }
            return number
        }
    }

    static let second: Int64 = 1000
    static let minute: Int64 = 60_000
}

/// Equality for expectations: NaN equals NaN, infinities must match, finite values within a
/// relative `tolerance` (default: exact to ~1 ulp of 1e-12).
func kernelEqual(_ actual: Double?, _ expected: Double?, tolerance: Double = 1e-12) -> Bool {
    switch (actual, expected) {
    case (nil, nil): return true
    case let (a?, e?):
        if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
        if a.isInfinite || e.isInfinite { return a == e }
        if a == e { return true }
        return abs(a - e) <= tolerance * max(abs(a), abs(e))
    default: return false
    }
}
