import PharosCore

/// Parsers for the Prometheus API's parameter values, with Prometheus' error wording.
/// Pure functions; all times are Int64 milliseconds, durations Int64 nanoseconds (Go's
/// `time.Duration`) so step validation matches Prometheus exactly.
package enum APIParameters {
    /// Earliest and latest times the API accepts, in ms (Prometheus' `MinTime`/`MaxTime`,
    /// clamped to what Int64 milliseconds can hold).
    package static let minTime: Timestamp = .min
    package static let maxTime: Timestamp = .max

    /// The RFC 3339 spellings of Prometheus' own boundary times, which clients send back.
    package static let minTimeText = "-292273086-05-16T16:47:06Z"
    package static let maxTimeText = "292277025-08-18T07:12:54.999999999Z"

    /// Parses `time`, `start`, `end`: float Unix seconds (rounded to ms) or RFC 3339.
    /// Throws the bare reason, `cannot parse "x" to a valid timestamp`.
    package static func parseTime(_ text: String) throws(APIError) -> Timestamp {
        if let seconds = parseGoFloat(text) {
            guard seconds.isFinite, seconds.magnitude < 9.2e15 else {
                if seconds.isFinite { return seconds < 0 ? minTime : maxTime }
                throw APIError(.badData, "cannot parse \"\(text)\" to a valid timestamp")
            }
            let whole = seconds.rounded(.towardZero)
            let fraction = ((seconds - whole) * 1000).rounded()
            return Int64(whole) * 1000 + Int64(fraction)
        }
        if let milliseconds = RFC3339.parse(text) { return milliseconds }
        if text == minTimeText { return minTime }
        if text == maxTimeText { return maxTime }
        throw APIError(.badData, "cannot parse \"\(text)\" to a valid timestamp")
    }

    /// A time parameter with a default when absent or empty (Prometheus' `parseTimeParam`).
    package static func timeParameter(_ form: FormParameters, _ name: String, default value: Timestamp) throws(APIError) -> Timestamp {
        guard let text = form[name], !text.isEmpty else { return value }
        do {
            return try parseTime(text)
        } catch {
            throw APIError.invalidParameter(name, "Invalid time value for '\(name)': \(error.message)")
        }
    }

    /// Parses `step` and `timeout`: float seconds or a Prometheus duration (`1m30s`), to ns.
    package static func parseDuration(_ text: String) throws(APIError) -> Int64 {
        if let seconds = parseGoFloat(text) {
            let nanoseconds = seconds * 1e9
            guard !nanoseconds.isNaN else {
                throw APIError(.badData, "cannot parse \"\(text)\" to a valid duration")
            }
            guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775808e18 else {
                throw APIError(.badData, "cannot parse \"\(text)\" to a valid duration. It overflows int64")
            }
            return Int64(nanoseconds)
        }
        if let duration = try? PrometheusDuration(parsing: text) {
            let (product, overflow) = duration.milliseconds.multipliedReportingOverflow(by: 1_000_000)
            if !overflow { return product }
        }
        throw APIError(.badData, "cannot parse \"\(text)\" to a valid duration")
    }

    /// Parses `limit`: absent or "" is 0 (no limit); negative or non-integer is an error.
    package static func limitParameter(_ form: FormParameters) throws(APIError) -> Int {
        guard let text = form["limit"], !text.isEmpty else { return 0 }
        guard let limit = Int(text) else {
            throw APIError.invalidParameter("limit", "strconv.Atoi: parsing \(goQuote(text)): invalid syntax")
        }
        guard limit >= 0 else { throw APIError.invalidParameter("limit", "limit must be non-negative") }
        return limit
    }

    /// Go's `strconv.ParseFloat` grammar for the forms clients send: decimal with optional
    /// exponent, `Inf`/`Infinity`/`NaN` in any case with optional sign. No spaces.
    static func parseGoFloat(_ text: String) -> Double? {
        guard let first = text.utf8.first, first != UInt8(ascii: " "), text.utf8.last != UInt8(ascii: " ") else { return nil }
        let lower = text.lowercased()
        let unsigned = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        if unsigned == "inf" || unsigned == "infinity" { return lower.hasPrefix("-") ? -.infinity : .infinity }
        if unsigned == "nan" { return .nan }
        // Swift accepts hex floats and "infinity" spellings Go handles above; reject letters
        // other than an exponent marker so "0x1p3" style input stays with Go's rules closely.
        guard unsigned.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e")
            || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) else { return nil }
        return Double(text)
    }
}
