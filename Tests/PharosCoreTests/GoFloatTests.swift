import PharosCore
import PharosTestSupport
import Testing

/// Expected texts follow Go's `strconv.FormatFloat(v, fmt, -1, 64)` rules: shortest round-trip
/// digits; `'e'` writes `d[.ddd]e±XX` with at least two exponent digits; `'g'` uses the `'e'`
/// form when the exponent is < -4 or >= 6 (Go's fixed precision for the shortest mode) and
/// `'f'` otherwise; `NaN`, `+Inf`, `-Inf`; `-0` keeps its sign.
@Suite(.timeLimit(.minutes(5))) struct GoFloatTests {
    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "-0"), (-1.0, "-1"), (0.1, "0.1"), (100, "100"), (1027, "1027"),
        (123456, "123456"), (999999, "999999"), (1e6, "1e+06"), (1234567, "1.234567e+06"), (-1e6, "-1e+06"),
        (0.0001, "0.0001"), (0.000123, "0.000123"), (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (-0.0005, "-0.0005"),
        (1e21, "1e+21"), (1e100, "1e+100"), (1e-100, "1e-100"), (.leastNonzeroMagnitude, "5e-324"),
        (.greatestFiniteMagnitude, "1.7976931348623157e+308"), (0.1 + 0.2, "0.30000000000000004"),
        (1.726839813016397e+09, "1.726839813016397e+09"), (9007199254740992, "9.007199254740992e+15"),
        (9007199254740994, "9.007199254740994e+15"), (9007199254740991, "9.007199254740991e+15"),
        (123456.7, "123456.7"), (1e-4 * 3, "0.00030000000000000003"), (12.47, "12.47"), (-2.5, "-2.5"),
        (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
    ])
    func shortestG(_ value: Double, _ expected: String) {
        #expect(GoFloat.format(value) == expected)
        #expect(GoFloat.format(value, .g) == expected)
    }

    @Test(arguments: [
        (0.0, "0e+00"), (-0.0, "-0e+00"), (1, "1e+00"), (-1.5, "-1.5e+00"), (0.1, "1e-01"), (10, "1e+01"),
        (123456, "1.23456e+05"), (1e-7, "1e-07"), (1e21, "1e+21"), (1.5e21, "1.5e+21"), (1e100, "1e+100"),
        (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (0.30000000000000004, "3.0000000000000004e-01"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
    ])
    func shortestE(_ value: Double, _ expected: String) {
        #expect(GoFloat.format(value, .e) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1, "1"), (100, "100"), (0.5, "0.5"), (-2.5, "-2.5"), (123.456, "123.456"),
        (1e21, "1000000000000000000000"), (1e22, "10000000000000000000000"), (1.5e20, "150000000000000000000"),
        (1e-7, "0.0000001"), (1.25e-10, "0.000000000125"), (12345678901234568, "12345678901234568"),
        (-0.001, "-0.001"), (0.30000000000000004, "0.30000000000000004"), (.nan, "NaN"), (.infinity, "+Inf"),
        (-.infinity, "-Inf"),
    ])
    func shortestF(_ value: Double, _ expected: String) {
        #expect(GoFloat.format(value, .f) == expected)
    }

    @Test func extremesInF() {
        let tiny = GoFloat.format(.leastNonzeroMagnitude, .f)
        #expect(tiny == "0." + String(repeating: "0", count: 323) + "5")
        let huge = GoFloat.format(-.greatestFiniteMagnitude, .f)
        #expect(huge == "-17976931348623157" + String(repeating: "0", count: 292))
    }

    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "-0"), (1e6, "1000000"), (1.5, "1.5"), (0.1, "0.1"),
        (123456789.125, "123456789.125"), (1e-6, "0.000001"), (1e-7, "1e-07"), (-1e-7, "-1e-07"),
        (1.5e-10, "1.5e-10"), (1e21, "1e+21"), (-1e21, "-1e+21"), (1.234e22, "1.234e+22"),
        (9.99e20, "999000000000000000000"), (1e16, "10000000000000000"), (.leastNonzeroMagnitude, "5e-324"),
        (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (Double(bitPattern: 0x7ff0_0000_0000_0002), "NaN"),
    ])
    func apiValue(_ value: Double, _ expected: String) {
        #expect(GoFloat.apiValue(value) == expected)
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.0, "0.0"), (-0.0, "-0.0"), (0.5, "0.5"), (100000, "100000.0"), (1e6, "1e+06"),
        (1.5e-5, "1.5e-05"), (0.0001, "0.0001"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
    ])
    func openMetrics(_ value: Double, _ expected: String) {
        #expect(GoFloat.openMetrics(value) == expected)
    }

    /// Random bit patterns: every verb parses back to the same value, uses the shortest digits
    /// (as many significant digits as Swift's own shortest `description`), and `'g'` picks the
    /// `'e'` or `'f'` text by the exponent rule.
    @Test func randomValuesRoundTripWithShortestDigits() {
        var generator = SplitMix64(seed: 0x5eed)
        var checked = 0
        while checked < 10_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            checked += 1
            let e = GoFloat.format(value, .e)
            let f = GoFloat.format(value, .f)
            let g = GoFloat.format(value, .g)
            #expect(Double(e) == value, "\(e)")
            #expect(Double(f) == value, "\(f)")
            #expect(Double(g) == value, "\(g)")
            #expect(Self.significantDigits(e) == Self.significantDigits(value.description), "\(e) vs \(value)")
            let exponent = Int(e[e.index(after: e.firstIndex(of: "e")!)...])!
            #expect(g == (exponent < -4 || exponent >= 6 ? e : f), "\(g)")
        }
    }

    /// Integers below 2^53 take a fast path; they must print like integers.
    @Test func integersPrintTheirDigits() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<5_000 {
            let integer = Int64(bitPattern: generator.next()) >> Int64(generator.next() % 60 + 11)
            #expect(GoFloat.format(Double(integer), .f) == String(integer))
            #expect(GoFloat.apiValue(Double(integer)) == String(integer))
        }
    }

    /// Significant digits of a decimal text, leading and trailing zeros removed.
    private static func significantDigits(_ text: String) -> String {
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
        return String(String(digits).reversed().drop { $0 == "0" }.reversed())
    }
}
