/// Prometheus' duration grammar (`model.ParseDuration`) with its error texts.
///
/// Returns milliseconds, or the message Prometheus reports: `not a valid duration string: "5m1h"`,
/// `unknown unit "hs" in duration "5y1hs"`, `duration out of range`, `empty duration string`.
func parsePrometheusDuration(_ bytes: ArraySlice<UInt8>) -> Result<Int64, DurationSyntaxError> {
    let text = String(decoding: bytes, as: UTF8.self)
    if text == "0" { return .success(0) }
    if bytes.isEmpty { return .failure(DurationSyntaxError(message: "empty duration string")) }
    let invalid = DurationSyntaxError(message: "not a valid duration string: \(goQuote(text))")
    // Unit → (rank, milliseconds). A time.Duration holds at most 2^63 ns.
    let limitMs = Double(Int64.max) / 1_000_000
    var i = bytes.startIndex
    var total: Double = 0
    var totalMs: Int64 = 0
    var lastRank = 0
    while i < bytes.endIndex {
        guard isDigit(bytes[i]) else { return .failure(invalid) }
        var value: Double = 0
        var exact: Int64 = 0
        while i < bytes.endIndex, isDigit(bytes[i]) {
            value = value * 10 + Double(bytes[i] - 48)
            exact = exact &* 10 &+ Int64(bytes[i] - 48)
            i += 1
        }
        let unitStart = i
        while i < bytes.endIndex, !isDigit(bytes[i]) { i += 1 }
        guard i > unitStart else { return .failure(invalid) }
        let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self)
        let rank: Int
        let ms: Int64
        switch unit {
        case "y": (rank, ms) = (1, 365 * 86_400_000)
        case "w": (rank, ms) = (2, 7 * 86_400_000)
        case "d": (rank, ms) = (3, 86_400_000)
        case "h": (rank, ms) = (4, 3_600_000)
        case "m": (rank, ms) = (5, 60_000)
        case "s": (rank, ms) = (6, 1000)
        case "ms": (rank, ms) = (7, 1)
        default:
            return .failure(DurationSyntaxError(message: "unknown unit \(goQuote(unit)) in duration \(goQuote(text))"))
        }
        guard rank > lastRank else { return .failure(invalid) }
        lastRank = rank
        total += value * Double(ms)
        if total > limitMs { return .failure(DurationSyntaxError(message: "duration out of range")) }
        totalMs += exact * ms
    }
    return .success(totalMs)
}

struct DurationSyntaxError: Error {
    var message: String
}
