import PharosCore
import PromQL
import Testing

/// Rate-family and regression kernels, with expectations from Prometheus' functions.test.
@Suite(.timeLimit(.minutes(5))) struct RangeKernelsTests {
    typealias F = KernelFixtures

    struct RateCase: CustomTestStringConvertible, Sendable {
        var name: String
        var notation: String
        var step: Int64 = 5 * F.minute
        var at: Int64
        var range: Int64
        var offset: Int64 = 0
        var isCounter = true
        var isRate = false
        var expected: Double?
        var testDescription: String { name }
    }

    static let rateCases: [RateCase] = [
        // increase(http_requests_total[50m]) at 50m
        .init(name: "increase foo", notation: "0+10x10", at: 50 * F.minute, range: 50 * F.minute, expected: 100),
        .init(name: "increase bar with reset", notation: "0+18x5 0+18x5", at: 50 * F.minute, range: 50 * F.minute, expected: 160),
        .init(name: "increase dings", notation: "10+10x10", at: 50 * F.minute, range: 50 * F.minute, expected: 100),
        .init(name: "increase bumms", notation: "1+10x10", at: 50 * F.minute, range: 50 * F.minute, expected: 100),
        // increase(http_requests_total[100m]) at 50m: extrapolation, capped at the zero point
        .init(name: "increase foo 100m", notation: "0+10x10", at: 50 * F.minute, range: 100 * F.minute, expected: 100),
        .init(name: "increase bar 100m", notation: "0+18x5 0+18x5", at: 50 * F.minute, range: 100 * F.minute, expected: 162),
        .init(name: "increase dings 100m", notation: "10+10x10", at: 50 * F.minute, range: 100 * F.minute, expected: 105),
        .init(name: "increase bumms 100m", notation: "1+10x10", at: 50 * F.minute, range: 100 * F.minute, expected: 101),
        .init(name: "increase 3 2 is a reset", notation: "0 1 2 3 2 3 4", at: 30 * F.minute, range: 30 * F.minute, expected: 7),
        .init(name: "rate reset in the middle", notation: "0+27x4 0+27x5", at: 50 * F.minute, range: 50 * F.minute,
              isRate: true, expected: 0.08),
        .init(name: "rate one sample", notation: "0+10x9 0 10", at: 50 * F.minute, range: 5 * F.minute, isRate: true, expected: nil),
        .init(name: "rate reset at the end", notation: "0+10x9 0 10", at: 50 * F.minute, range: 6 * F.minute, isRate: true, expected: 0),
        .init(name: "rate window", notation: "0+80x10", at: 50 * F.minute, range: 50 * F.minute, isRate: true,
              expected: 0.26666666666666666),
        .init(name: "rate offset a", notation: "0+10x10", at: 50 * F.minute, range: 10 * F.minute, offset: 5 * F.minute,
              isRate: true, expected: 0.03333333333333333),
        .init(name: "rate offset b", notation: "0+20x10", at: 50 * F.minute, range: 10 * F.minute, offset: 5 * F.minute,
              isRate: true, expected: 0.06666666666666667),
        // Zero cutoff for left-side extrapolation (load 4m).
        .init(name: "zero cutoff 0m", notation: "0+240x10", step: 4 * F.minute, at: 10 * F.minute, range: 20 * F.minute, isRate: true, expected: 0.5),
        .init(name: "zero cutoff 1m", notation: "60+240x10", step: 4 * F.minute, at: 10 * F.minute, range: 20 * F.minute, isRate: true, expected: 0.55),
        .init(name: "zero cutoff 2m", notation: "120+240x10", step: 4 * F.minute, at: 10 * F.minute, range: 20 * F.minute, isRate: true, expected: 0.6),
        .init(name: "zero cutoff 5m", notation: "300+240x10", step: 4 * F.minute, at: 10 * F.minute, range: 20 * F.minute, isRate: true, expected: 0.6),
        .init(name: "half interval cutoff", notation: "0+240x10", step: 4 * F.minute, at: 50 * F.minute, range: 20 * F.minute, isRate: true, expected: 0.6),
        // delta(http_requests[20m]) at 20m
        .init(name: "delta up", notation: "0 50 100 150 200", at: 20 * F.minute, range: 20 * F.minute, isCounter: false, expected: 200),
        .init(name: "delta down", notation: "200 150 100 50 0", at: 20 * F.minute, range: 20 * F.minute, isCounter: false, expected: -200),
        .init(name: "empty window", notation: "1 2", at: 50 * F.minute, range: 5 * F.minute, expected: nil),
    ]

    @Test(arguments: rateCases)
    func extrapolatedRate(_ c: RateCase) {
        let samples = F.series(c.notation, step: c.step)
        let end = c.at - c.offset
        let window = F.window(samples, at: end, range: c.range)
        let result = RangeKernels.extrapolatedRate(window, rangeStart: end - c.range, rangeEnd: end,
                                                   isCounter: c.isCounter, isRate: c.isRate)
        #expect(kernelEqual(result, c.expected), "got \(String(describing: result))")
    }

    @Test(arguments: [
        // (notation, at, range, isRate, expected)
        ("0+10x10", 50 * F.minute, 50 * F.minute, true, 0.03333333333333333 as Double?),
        ("0+10x5 0+10x5", 30 * F.minute, 50 * F.minute, true, 0),
        ("0 50 100 150", 20 * F.minute, 20 * F.minute, false, 50),
        ("0 50 100 50", 20 * F.minute, 20 * F.minute, false, -50),
        ("0 50 100 50", 20 * F.minute, 20 * F.minute, true, 50.0 / 300),
        ("1 NaN NaN 5 11", 20 * F.minute, 15 * F.minute + 1000, false, 6),
        ("1 NaN NaN 5 11", 10 * F.minute, 15 * F.minute + 1000, false, .nan),
        ("1 NaN NaN 5 11", 10 * F.minute, 15 * F.minute + 1000, true, .nan),
        ("7", 0, 5 * F.minute, true, nil),
    ])
    func instantValue(_ notation: String, _ at: Int64, _ range: Int64, _ isRate: Bool, _ expected: Double?) {
        let window = F.window(F.series(notation, step: 5 * F.minute), at: at, range: range)
        let result = RangeKernels.instantValue(window, isRate: isRate)
        #expect(kernelEqual(result, expected), "got \(String(describing: result))")
    }

    /// `eval range from 0 to 20m step 5m irate/idelta(http_requests_nan[15m1s])`.
    @Test func instantValueOverARangeWithNaNs() {
        let samples = F.series("1 NaN NaN 5 11", step: 5 * F.minute)
        let steps = stride(from: Int64(0), through: 20 * F.minute, by: Int(5 * F.minute)).map {
            F.window(samples, at: $0, range: 15 * F.minute + F.second)
        }
        let irate = steps.map { RangeKernels.instantValue($0, isRate: true) }
        let idelta = steps.map { RangeKernels.instantValue($0, isRate: false) }
        #expect(zip(irate, [nil, .nan, .nan, .nan, 0.02]).allSatisfy { kernelEqual($0, $1) }, "\(irate)")
        #expect(zip(idelta, [nil, .nan, .nan, .nan, 6]).allSatisfy { kernelEqual($0, $1) }, "\(idelta)")
    }

    @Test func instantValueWithEqualTimestampsIsDropped() {
        let samples: ArraySlice = [Sample(timestamp: 5, value: 1), Sample(timestamp: 5, value: 2)]
        #expect(RangeKernels.instantValue(samples, isRate: true) == nil)
        #expect(RangeKernels.instantValue(samples, isRate: false) == nil)
    }

    @Test func derivMatchesRateOnALine() {
        let window = F.window(F.series("0+80x10", step: 5 * F.minute), at: 50 * F.minute, range: 50 * F.minute)
        #expect(kernelEqual(RangeKernels.deriv(window), 0.26666666666666666))
    }

    @Test func derivAcrossAReset() {
        let window = F.window(F.series("0+10x4 0+10x5", step: 5 * F.minute), at: 50 * F.minute, range: 100 * F.minute)
        #expect(kernelEqual(RangeKernels.deriv(window), 0.010606060606060607))
    }

    @Test func derivAndPredictLinearWithInfinitiesAreNaN() {
        let window = F.window(F.series("-Inf 0+80x10 Inf", step: 5 * F.minute), at: 100 * F.minute, range: 100 * F.minute)
        #expect(kernelEqual(RangeKernels.deriv(window), .nan))
        #expect(kernelEqual(RangeKernels.predictLinear(window, at: 100 * F.minute, duration: 6000), .nan))
    }

    @Test func derivOfAConstantInfinityIsNaNAndOfAConstantIsZero() {
        let inf: ArraySlice = [Sample(timestamp: 0, value: .infinity), Sample(timestamp: 1000, value: .infinity)]
        let flat: ArraySlice = [Sample(timestamp: 0, value: 3), Sample(timestamp: 1000, value: 3)]
        #expect(kernelEqual(RangeKernels.deriv(inf), .nan))
        #expect(RangeKernels.deriv(flat) == 0)
        #expect(RangeKernels.predictLinear(flat, at: 5000, duration: 100) == 3)
        #expect(RangeKernels.deriv(flat.prefix(1)) == nil)
        #expect(RangeKernels.predictLinear(flat.prefix(1), at: 0, duration: 1) == nil)
    }

    @Test(arguments: [
        // (window end s, range s, evaluation time s, duration, expected)
        (3000 as Int64, 3000 as Int64, 3000 as Int64, 3600.0, 70.0),
        (3000, 3300, 3000, 3600, 76.81818181818181),
        (3000, 3300, 600, 3600, 51.36363636363637),
        (3000, 3300, 4200, 3600, 89.54545454545455),
    ])
    func predictLinear(_ end: Int64, _ range: Int64, _ evaluation: Int64, _ duration: Double, _ expected: Double) {
        let window = F.window(F.series("0+10x4 0+10x5", step: 5 * F.minute), at: end * 1000, range: range * 1000)
        #expect(kernelEqual(RangeKernels.predictLinear(window, at: evaluation * 1000, duration: duration), expected, tolerance: 1e-9))
    }

    @Test(arguments: [
        // (notation, range minutes, expected resets at 50m)
        ("1 2 3 0 1 0 0 1 2 0", 5 as Int64, nil as Double?),
        ("1 2 3 0 1 0 0 1 2 0", 10, 0),
        ("1 2 3 0 1 0 0 1 2 0", 20, 1),
        ("1 2 3 0 1 0 0 1 2 0", 32, 2),
        ("1 2 3 0 1 0 0 1 2 0", 50, 3),
        ("1 2 3 4 5 1 2 3 4 5", 32, 1),
        ("0 0 0 0 0 1 1 1 1 1", 50, 0),
    ])
    func resets(_ notation: String, _ rangeMinutes: Int64, _ expected: Double?) {
        let window = F.window(F.series(notation, step: 5 * F.minute), at: 50 * F.minute, range: rangeMinutes * F.minute)
        #expect(RangeKernels.resets(window) == expected)
    }

    @Test(arguments: [
        ("1 2 3 0 1 0 0 1 2 0", 50 * F.minute, 50 * F.minute, 7.0),
        ("1 2 3 4 5 1 2 3 4 5", 50 * F.minute, 50 * F.minute, 8),
        ("0 0 0 0 0 1 1 1 1 1", 50 * F.minute, 50 * F.minute, 1),
        ("1 2 3 0 1 0 0 1 2 0", 50 * F.minute, 6 * F.minute, 0),
        ("1 2 3 0 1 0 0 1 2 0", 50 * F.minute, 20 * F.minute, 2),
        ("1 2 3 4 5 1 2 3 4 5", 50 * F.minute, 30 * F.minute, 4),
        ("1 2 3 0 1 0 0 1 2 0", 50 * F.minute, 30 * F.minute, 3),
        ("NaN NaN NaN", 15 * F.minute, 20 * F.minute, 0),
        ("0 NaN 0", 15 * F.minute, 20 * F.minute, 2),
    ])
    func changes(_ notation: String, _ at: Int64, _ range: Int64, _ expected: Double) {
        let window = F.window(F.series(notation, step: 5 * F.minute), at: at, range: range)
        #expect(RangeKernels.changes(window) == expected)
    }

    @Test func resetsAndChangesOfAnEmptyWindowAreDropped() {
        #expect(RangeKernels.resets([]) == nil)
        #expect(RangeKernels.changes([]) == nil)
    }

    @Test(arguments: [
        ("0+10x1000 100+30x1000", 8000.0),
        ("0+20x1000 200+30x1000", 16000),
        ("0+30x1000 300+80x1000", 24000),
        ("0+40x2000", 32000),
        ("8000-10x1000", 0),
        ("0-20x1000", -16000),
        ("0+30x1000 300-80x1000", 24000),
        ("0-40x1000 0+40x1000", -32000),
    ])
    func doubleExponentialSmoothing(_ notation: String, _ expected: Double) throws {
        let window = F.window(F.series(notation, step: 10 * F.second), at: 8000 * F.second, range: F.minute)
        let result = try RangeKernels.doubleExponentialSmoothing(window, smoothing: 0.01, trend: 0.1)
        #expect(kernelEqual(result, expected, tolerance: 1e-9), "got \(String(describing: result))")
    }

    @Test(arguments: [
        (0.0, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000"),
        (1, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000"),
        (0.5, 0, "invalid trend factor. Expected: 0 < tf < 1, got: 0.000000"),
        (0.5, -0.25, "invalid trend factor. Expected: 0 < tf < 1, got: -0.250000"),
        (.nan, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: NaN"),
    ])
    func doubleExponentialSmoothingRejectsFactors(_ sf: Double, _ tf: Double, _ message: String) {
        let samples: ArraySlice = [Sample(timestamp: 0, value: 1), Sample(timestamp: 1, value: 2)]
        #expect {
            _ = try RangeKernels.doubleExponentialSmoothing(samples, smoothing: sf, trend: tf)
        } throws: { error in
            (error as? QueryError)?.message == message && (error as? QueryError)?.kind == .execution
        }
    }

    @Test func doubleExponentialSmoothingNeedsTwoSamples() throws {
        #expect(try RangeKernels.doubleExponentialSmoothing([Sample(timestamp: 0, value: 1)], smoothing: 0.5, trend: 0.5) == nil)
    }
}
