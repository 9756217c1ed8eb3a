import PharosCore
import PromQL
import Testing

/// Value and label orderings (functions.test) and Go's float formatting for label values.
@Suite(.timeLimit(.minutes(5))) struct SortKernelsTests {
    @Test func sortPutsNaNLastBothWays() {
        let values: [Double] = [300, .nan, 100, 700, 100]
        #expect(values.sorted { InstantKernels.valueSortsBefore($0, $1, descending: false) }.map(\.description)
                == ["100.0", "100.0", "300.0", "700.0", "nan"])
        #expect(values.sorted { InstantKernels.valueSortsBefore($0, $1, descending: true) }.map(\.description)
                == ["700.0", "300.0", "100.0", "100.0", "nan"])
    }

    /// Keeps the k best values the way the engine's heap would, then orders them for output.
    static func select(_ k: Int, _ values: [Double], top: Bool) -> [Double] {
        var kept: [Double] = []
        for value in values {
            if kept.count < k { kept.append(value); continue }
            // The weakest kept value: the one every other kept value ranks above.
            let weakest = kept.indices.first { i in kept.indices.allSatisfy { $0 == i || !InstantKernels.rankPrefers(kept[i], over: kept[$0], top: top) } }!
            if InstantKernels.rankPrefers(value, over: kept[weakest], top: top) { kept[weakest] = value }
        }
        return kept.sorted { InstantKernels.valueSortsBefore($0, $1, descending: top) }
    }

    @Test func topkAndBottomkPreferNumbersOverNaN() {
        let values: [Double] = [.nan, 3, 7, .nan, 1, 5]
        #expect(Self.select(2, values, top: true) == [7, 5])
        #expect(Self.select(2, values, top: false) == [1, 3])
        #expect(Self.select(3, [.nan, 2, .nan], top: true).map(\.description) == ["2.0", "nan", "nan"])
        #expect(!InstantKernels.rankPrefers(.nan, over: 1, top: true))
        #expect(!InstantKernels.rankPrefers(.nan, over: .nan, top: false))
        #expect(!InstantKernels.rankPrefers(5, over: 5, top: true))
    }

    @Test(arguments: [
        (["0", "1", "2", "3", "10", "11", "12", "20", "21", "100"].shuffled(), ["0", "1", "2", "3", "10", "11", "12", "20", "21", "100"]),
        (["4m600", "4m5", "4m1000"], ["4m5", "4m600", "4m1000"]),
        (["1.2.3", "1.11.3", "1.111.3"].reversed(), ["1.2.3", "1.11.3", "1.111.3"]),
        (["b", "a10", "a2", "a"], ["a", "a2", "a10", "b"]),
        (["x99999999999999999999", "x100000000000000000000"], ["x100000000000000000000", "x99999999999999999999"]),
    ])
    func naturalOrder(_ input: [String], _ expected: [String]) {
        #expect(input.sorted(by: InstantKernels.naturalLess) == expected)
    }

    static let series: [Labels] = [
        ["group": "production", "instance": "0", "job": "api-server"], ["group": "production", "instance": "1", "job": "api-server"],
        ["group": "canary", "instance": "0", "job": "api-server"], ["group": "canary", "instance": "1", "job": "api-server"],
        ["group": "canary", "instance": "2", "job": "api-server"], ["group": "production", "instance": "0", "job": "app-server"],
        ["group": "production", "instance": "1", "job": "app-server"], ["group": "canary", "instance": "0", "job": "app-server"],
        ["group": "canary", "instance": "1", "job": "app-server"], ["group": "production", "instance": "2", "job": "api-server"],
    ].map { Labels($0) }

    static func short(_ labels: Labels) -> String {
        "\(labels["group"].prefix(1))\(labels["instance"])\(labels["job"].prefix(2))"
    }

    @Test(arguments: [
        (["instance"], false, "c0ap c0ap p0ap p0ap c1ap c1ap p1ap p1ap c2ap p2ap"),
        (["group", "instance", "job"], false, "c0ap c0ap c1ap c1ap c2ap p0ap p0ap p1ap p1ap p2ap"),
        (["instance"], true, "p2ap c2ap p1ap p1ap c1ap c1ap p0ap p0ap c0ap c0ap"),
    ])
    func sortByLabel(_ names: [String], _ descending: Bool, _ expected: String) {
        let sorted = Self.series.shuffled().sorted { InstantKernels.labelsSortBefore($0, $1, by: names, descending: descending) }
        #expect(sorted.map(Self.short).joined(separator: " ") == expected)
        // The full label set breaks ties: api-server before app-server ascending, after descending.
        let first = sorted.prefix(2).map { $0["job"] }
        #expect(first == (descending ? ["api-server", "api-server"] : ["api-server", "app-server"]))
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1, "1"), (100, "100"), (0.1, "0.1"), (-2.5, "-2.5"), (123.456, "123.456"),
        (1e21, "1000000000000000000000"), (1.5e20, "150000000000000000000"), (1e-7, "0.0000001"),
        (1.25e-10, "0.000000000125"), (12345678901234568, "12345678901234568"),
        (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
    ])
    func positionalFormatting(_ value: Double, _ expected: String) {
        #expect(GoFloat.format(value, .f) == expected)
    }

    @Test(arguments: [
        (0.0, "0", "0.0"), (1, "1", "1.0"), (0.5, "0.5", "0.5"), (0.01, "0.01", "0.01"), (-0.1, "-0.1", "-0.1"),
        (100000, "100000", "100000.0"), (1e6, "1e+06", "1e+06"), (1.5e-5, "1.5e-05", "1.5e-05"), (0.0001, "0.0001", "0.0001"),
        (123456789, "1.23456789e+08", "1.23456789e+08"), (1e100, "1e+100", "1e+100"), (-2.5e-300, "-2.5e-300", "-2.5e-300"),
        (.nan, "NaN", "NaN"), (.infinity, "+Inf", "+Inf"), (-.infinity, "-Inf", "-Inf"),
    ])
    func shortestAndOpenMetricsFormatting(_ value: Double, _ shortest: String, _ openMetrics: String) {
        #expect(GoFloat.format(value, .g) == shortest)
        #expect(GoFloat.openMetrics(value) == openMetrics)
    }
}
