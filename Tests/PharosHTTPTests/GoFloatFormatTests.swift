import PharosCore
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct GoFloatFormatTests {
    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "-0"), (1e6, "1000000"), (1.5, "1.5"), (-2.25, "-2.25"),
        (0.1, "0.1"), (123456789.125, "123456789.125"), (1e-6, "0.000001"), (1e-7, "1e-07"),
        (1.5e-10, "1.5e-10"), (1e21, "1e+21"), (1.234e22, "1.234e+22"), (9.99e20, "999000000000000000000"),
        (1e20, "100000000000000000000"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (0.30000000000000004, "0.30000000000000004"),
        (1e16, "10000000000000000"), (12345.678, "12345.678"), (-1e-300, "-1e-300"),
    ])
    func apiValue(_ value: Double, _ expected: String) {
        #expect(GoFloat.apiValue(value) == expected)
    }

    @Test func staleMarkerIsNaN() {
        #expect(GoFloat.apiValue(Double(bitPattern: 0x7ff0_0000_0000_0002)) == "NaN")
    }
}
