import Exposition
import PharosCore
import PharosTestSupport
import Testing

/// Sample values follow Go's `strconv.ParseFloat` as Prometheus' text parsers use it.
@Suite(.timeLimit(.minutes(5))) struct ValueParsingTests {
    static func value(_ token: String) -> Double? {
        var parser = ExpositionParser(Array("m \(token)\n".utf8), format: .text004)
        guard (try? parser.next()) == .series else { return nil }
        return parser.value
    }

    @Test(arguments: [
        ("1", 1.0), ("-1", -1), ("+1", 1), ("1E3", 1000), (".5", 0.5), ("5.", 5), ("-.5e-3", -0.0005),
        ("0.1", 0.1), ("1.7976931348623157e308", 1.7976931348623157e308), ("5e-324", .leastNonzeroMagnitude),
        ("1e-400", 0), ("123456789012345678901234567890", 1.2345678901234568e29),
        ("0.30000000000000004", 0.30000000000000004), ("9007199254740993", 9007199254740992),
        ("000123.4500", 123.45), ("1_0", nil), ("0x1p3", nil), ("1e", nil), ("e1", nil), (".", nil), ("-", nil),
        ("Inf", .infinity), ("+Inf", .infinity), ("-inf", -.infinity), ("Infinity", .infinity), ("-INFINITY", -.infinity),
        ("infinit", nil), ("1e309", nil), ("-1e309", nil), ("1.5e+2", 150), ("2.2250738585072014e-308", 2.2250738585072014e-308),
    ] as [(String, Double?)])
    func goParseFloat(_ token: String, _ expected: Double?) {
        let parsed = Self.value(token)
        #expect(parsed == expected, "\(token)")
        if let parsed, let expected { #expect(parsed.sign == expected.sign) }
    }

    @Test func nanForms() {
        #expect(Self.value("NaN")?.isNaN == true)
        #expect(Self.value("nan")?.isNaN == true)
        #expect(Self.value("+NaN") == nil)
        #expect(Self.value("-nan") == nil)
        #expect(Self.value("-0")?.sign == .minus)
    }

    @Test func manyDigitsMatchSwiftsCorrectlyRoundedParser() {
        var rng = SplitMix(seed: 3)
        for _ in 0..<2000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &rng)
            let original = Double(bitPattern: bits)
            guard original.isFinite else { continue }
            for text in ["\(original)", GoFloat.format(original)] {
                #expect(Self.value(text)?.bitPattern == original.bitPattern, "\(text)")
            }
        }
    }
}
