import PromQL
import Testing

/// Classic-bucket `histogram_quantile` and `histogram_fraction`, from Prometheus' histograms.test
/// (values at 50m, i.e. ten times the per-step increments).
@Suite(.timeLimit(.minutes(5))) struct HistogramKernelsTests {
    static func buckets(_ pairs: [(Double, Double)]) -> [ClassicBucket] {
        pairs.map { ClassicBucket(upperBound: $0.0, count: $0.1) }
    }

    static let positive = buckets([(0.1, 50), (0.2, 70), (1, 110), (.infinity, 120)])
    static let negative = buckets([(-0.2, 10), (-0.1, 20), (0.3, 20), (.infinity, 30)])
    static let positive3 = buckets([(0, 0), (0.1, 50), (0.2, 70), (1, 110), (.infinity, 110)])
    static let negative3 = buckets([(-0.25, 0), (-0.2, 10), (-0.1, 20), (0.3, 20), (.infinity, 20)])
    static let nonmonotonic = buckets([(0.1, 20), (1, 10), (10, 50), (100, 40), (1000, 90), (.infinity, 80)])

    @Test(arguments: [
        (0.0, positive, 0.0), (0, negative, -0.2),
        (1, positive, 1), (1, negative, 0.3),
        (0.2, positive, 0.048), (0.2, negative, -0.2),
        (0.5, positive, 0.15), (0.5, negative, -0.15),
        (0.8, positive, 0.72), (0.8, negative, 0.3),
        (0, positive3, 0), (0, negative3, -0.25),
        (0.25, positive3, 0.055), (0.25, negative3, -0.225),
        (0.5, positive3, 0.125), (0.5, negative3, -0.2),
        (0.75, positive3, 0.45), (0.75, negative3, -0.15),
        (1, positive3, 1), (1, negative3, -0.1),
        (-0.1, positive, -.infinity), (1.01, positive, .infinity), (.nan, positive, .nan),
    ])
    func quantile(_ q: Double, _ buckets: [ClassicBucket], _ expected: Double) {
        let result = InstantKernels.histogramQuantile(q, buckets: buckets)
        #expect(kernelEqual(result.value, expected), "got \(result.value)")
        #expect(!result.forcedMonotonicity)
    }

    @Test(arguments: [(0.01, 0.0045), (0.5, 8.5), (0.99, 979.75)])
    func nonmonotonicBucketsAreFixedAndFlagged(_ q: Double, _ expected: Double) {
        let result = InstantKernels.histogramQuantile(q, buckets: Self.nonmonotonic.shuffled())
        #expect(kernelEqual(result.value, expected), "got \(result.value)")
        #expect(result.forcedMonotonicity)
        #expect(!result.fixedPrecision)
        // le=1 was raised 20-10, le=100 was raised 50-40, le=+Inf 90-80.
        #expect(result.minBucket == 1)
        #expect(result.maxBucket == .infinity)
        #expect(result.maxDiff == 10)
    }

    @Test func tupleBucketsGiveTheSameResult() {
        let tuples: [(upperBound: Double, count: Double)] = Self.positive.map { ($0.upperBound, $0.count) }
        #expect(InstantKernels.histogramQuantile(0.8, buckets: tuples) == InstantKernels.histogramQuantile(0.8, buckets: Self.positive))
    }

    @Test func tinyDifferencesAreFixedSilently() {
        let buckets = Self.buckets([(1, 10), (2, 10 - 1e-14), (.infinity, 20)])
        let result = InstantKernels.histogramQuantile(0.5, buckets: buckets)
        #expect(result.fixedPrecision)
        #expect(!result.forcedMonotonicity)
        #expect(result.value == 1)
    }

    @Test func unusableBucketsGiveNaN() {
        #expect(InstantKernels.histogramQuantile(0.5, buckets: [ClassicBucket]()).value.isNaN)
        #expect(InstantKernels.histogramQuantile(0.5, buckets: Self.buckets([(1, 1), (2, 2)])).value.isNaN, "no +Inf bucket")
        #expect(InstantKernels.histogramQuantile(0.5, buckets: Self.buckets([(.infinity, 5)])).value.isNaN, "one bucket")
        #expect(InstantKernels.histogramQuantile(0.5, buckets: Self.buckets([(1, 0), (.infinity, 0)])).value.isNaN, "no observations")
        // Equal bounds are merged (e.g. le="1" and le="1.0").
        let merged = InstantKernels.histogramQuantile(0.5, buckets: Self.buckets([(1, 1), (1, 1), (.infinity, 4)]))
        #expect(merged.value == 1)
    }

    static let steps = buckets([(1, 1), (2, 3), (3, 6), (.infinity, 100)])
    static let negativeSteps = buckets([(-3, 10), (-2, 12), (-1, 15), (.infinity, 100)])

    @Test(arguments: [
        (0.0, 4.0, buckets([(0, 0), (2, 10), (4, 20), (6, 30), (.infinity, 30)]), 0.6666666666666666),
        (0, 6, buckets([(0, 0), (2, 10), (4, 20), (6, 30), (.infinity, 30)]), 1),
        (0, 3.5, buckets([(0, 0), (2, 10), (4, 20), (6, 30), (.infinity, 30)]), 0.5833333333333334),
        (0, 0.2, positive3, 0.6363636363636364), (0, 0.2, negative3, 0),
        (0, 1.5, steps, 0.02), (-4, -2, negativeSteps, 0.02), (-.infinity, -1.5, negativeSteps, 0.135),
        (-.infinity, .infinity, steps, 1), (-.infinity, .infinity, negativeSteps, 1),
        (4, 5, steps, 0), (0, 1, negativeSteps, 0), (2, 5, steps, 0.03), (400, .infinity, steps, 0.94),
        (2, 2, steps, 0), (3, 2, steps, 0), (0, 1, buckets([(.infinity, 100)]), 0),
        (0, 5, buckets([(1, 0), (2, 0), (3, 0), (.infinity, 0)]), .nan),
        (2, 3.5, steps, 0.03), (0.5, 2, steps, 0.025), (1, 3, steps, 0.05),
        (0.1, 0.75, buckets([(0.5, 2.5), (1, 7.5), (.infinity, 100)]), 0.045),
        (-1, 1, buckets([(-2, 5), (-1, 10), (0, 15), (1, 20), (.infinity, 100)]), 0.1),
        (.nan, 1, buckets([(1, 1), (.infinity, 100)]), .nan), (0, .nan, buckets([(1, 1), (.infinity, 100)]), .nan),
        (-10, -5, buckets([(1, 1), (2, 3), (.infinity, 10)]), 0),
    ])
    func fraction(_ lower: Double, _ upper: Double, _ buckets: [ClassicBucket], _ expected: Double) {
        let result = InstantKernels.histogramFraction(lower: lower, upper: upper, buckets: buckets)
        #expect(kernelEqual(result, expected), "got \(result)")
    }

    @Test func fractionOfUnusableBucketsIsNaN() {
        #expect(InstantKernels.histogramFraction(lower: 0, upper: 1, buckets: []).isNaN)
        #expect(InstantKernels.histogramFraction(lower: 0, upper: 1, buckets: Self.buckets([(1, 1), (2, 2)])).isNaN)
    }

    @Test func almostEqualFollowsPrometheus() {
        #expect(InstantKernels.almostEqual(.nan, .nan, tolerance: 1e-12))
        #expect(InstantKernels.almostEqual(1, 1 + 1e-13, tolerance: 1e-12))
        #expect(!InstantKernels.almostEqual(1, 1 + 1e-9, tolerance: 1e-12))
        #expect(!InstantKernels.almostEqual(0, 1e-300, tolerance: 1e-12))
    }
}

/// Go `strconv.ParseFloat` acceptance for bucket bounds.
@Suite(.timeLimit(.minutes(5))) struct ParseGoFloatTests {
    @Test(arguments: [
        ("+Inf", Double.infinity), ("Inf", .infinity), ("inf", .infinity), ("-Inf", -.infinity),
        ("Infinity", .infinity), ("+infinity", .infinity), ("NaN", .nan), ("nan", .nan),
        ("0.1", 0.1), (".2", 0.2), ("1e0", 1), ("+1", 1), ("1.", 1), ("-0", -0.0), ("0x1p-2", 0.25), ("0X1.8P1", 3),
        ("1e-400", 0),
    ])
    func accepts(_ text: String, _ expected: Double) {
        #expect(kernelEqual(InstantKernels.parseGoFloat(text), expected), "\(text)")
    }

    @Test(arguments: ["", " 1", "1 ", "1_000", "0x10", "0x1.8", "1e400", "-1e400", "nan(0x1)", "+NaN", "-nan",
                      "infinityx", "infin", "1e", "e1", "abc", "0.1.2", "--1", "١"])
    func rejects(_ text: String) {
        #expect(InstantKernels.parseGoFloat(text) == nil, "\(text)")
    }
}
