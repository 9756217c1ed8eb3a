import PharosCore
import PromQL
import Testing

/// `anchored` and `smoothed` selectors, from Prometheus' extended_vectors.test.
@Suite(.timeLimit(.minutes(5))) struct ExtendedRangeKernelsTests {
    typealias F = KernelFixtures
    static let lookback = 5 * F.minute

    /// What the engine loads for an extended selector: the window plus the lookback delta
    /// before it, and for `smoothed` also the lookback delta after it.
    static func loaded(_ samples: [Sample], at: Int64, range: Int64, smoothed: Bool) -> ArraySlice<Sample> {
        let upper = smoothed ? at + lookback : at
        return F.window(samples, at: upper, range: upper - (at - range - lookback))
    }

    static func increase(_ notation: String, step: Int64, at: Int64, range: Int64, smoothed: Bool, isCounter: Bool = true) -> Double? {
        let samples = F.series(notation, step: step)
        return RangeKernels.extendedRate(loaded(samples, at: at, range: range, smoothed: smoothed),
                                         rangeStart: at - range, rangeEnd: at, smoothed: smoothed,
                                         isCounter: isCounter, isRate: false)
    }

    static let complete = "1+1x4 9+1x4"
    static let partial = "1+1x2 _ _ 9+1x4"

    @Test(arguments: [
        (complete, false, [0, 1, 2, 3, 4, 7, 7, 7, 7]),
        (complete, true, [0.333333333, 1.333333333, 2.333333333, 3.333333333, 5, 7, 7, 7, 6]),
        (partial, false, [0, 1, 2, 2, 2, 7, 7, 8, 9]),
        (partial, true, [0.333333333, 1.333333333, 2.666666666, 4.666666666, 6.333333333, 7, 6.666666666, 5.666666666, 4.666666666]),
    ])
    func prom52Increase(_ notation: String, _ smoothed: Bool, _ expected: [Double]) {
        for (i, want) in expected.enumerated() {
            let at = Int64(5 + 15 * i) * F.second
            let got = Self.increase(notation, step: 15 * F.second, at: at, range: F.minute, smoothed: smoothed)
            #expect(kernelEqual(got, want, tolerance: 1e-6), "at \(at)ms: \(String(describing: got))")
        }
    }

    @Test func windowIsLeftOpen() {
        #expect(Self.increase("1 2 _ 4 5", step: F.minute, at: 2 * F.minute, range: F.minute, smoothed: true) == 1)
        #expect(Self.increase("1 2 _ 4 5", step: F.minute, at: 2 * F.minute, range: F.minute, smoothed: false) == nil)
    }

    static let resetSeries = ["1+1x4 1+1x4", "3 2+2x9", "5+3x2 3+3x6"]

    @Test(arguments: [
        (90 * F.second, F.minute, true, true, [1.0, 2, 3]),
        (90 * F.second, F.minute, false, true, [1, 2, 3]),
        (90 * F.second, F.minute, false, false, [1, -1, 3]),
        (3 * F.minute, F.minute, false, false, [1, 2, -8]),
        (210 * F.second, F.minute, false, false, [1, 2, -8]),
        (375 * F.second, 5 * F.minute, true, true, [5, 10, 15]),
        (6 * F.minute, 5 * F.minute, true, true, [5, 10, 15]),
        (5 * F.minute, 5 * F.minute, false, true, [5, 10, 15]),
    ])
    func counterResets(_ at: Int64, _ range: Int64, _ smoothed: Bool, _ isCounter: Bool, _ expected: [Double]) {
        for (notation, want) in zip(Self.resetSeries, expected) {
            let got = Self.increase(notation, step: F.minute, at: at, range: range, smoothed: smoothed, isCounter: isCounter)
            #expect(kernelEqual(got, want, tolerance: 1e-9), "\(notation) at \(at): \(String(describing: got))")
        }
    }

    @Test func anchoredWithoutSamplesInTheWindowIsDropped() {
        #expect(Self.increase("1+1x4 1+1x4", step: F.minute, at: 15 * F.minute, range: 5 * F.minute, smoothed: false) == nil)
        #expect(RangeKernels.extendedRate([], rangeStart: 0, rangeEnd: 1, smoothed: true, isCounter: true, isRate: true) == nil)
    }

    @Test(arguments: [
        ("11 -1 100 0", 330 * F.second, -5.0), ("0 0 100 0 0 11 -1", 330 * F.second, 5),
        ("11 -1 100 0", 345 * F.second, -2), ("0 0 100 0 0 11 -1", 345 * F.second, 2),
    ])
    func smoothedDelta(_ notation: String, _ at: Int64, _ expected: Double) {
        let got = Self.increase(notation, step: F.minute, at: at, range: 5 * F.minute, smoothed: true, isCounter: false)
        #expect(kernelEqual(got, expected, tolerance: 1e-9), "\(String(describing: got))")
    }

    @Test func smoothedRateDividesByTheRange() {
        let samples = F.series("0+60x10", step: F.minute)
        let rate = RangeKernels.extendedRate(Self.loaded(samples, at: 5 * F.minute + 30 * F.second, range: 2 * F.minute, smoothed: true),
                                             rangeStart: 3 * F.minute + 30 * F.second, rangeEnd: 5 * F.minute + 30 * F.second,
                                             smoothed: true, isCounter: true, isRate: true)
        #expect(kernelEqual(rate, 1))
    }

    static func anchored(_ notation: String, at: Int64, range: Int64, _ kernel: (ArraySlice<Sample>) -> Double?) -> Double? {
        let loaded = Self.loaded(F.series(notation, step: F.minute), at: at, range: range, smoothed: false)
        return RangeKernels.anchoredSamples(loaded, rangeStart: at - range).flatMap(kernel)
    }

    static let changeSeries = ["1+1x10", "1 1+1x10", "99-1x10", "99 99-1x10"]

    @Test(arguments: [
        (5 * F.minute, [5.0, 4, 5, 4]), (6 * F.minute, [5, 5, 5, 5]), (330 * F.second, [5, 4, 5, 4]),
    ])
    func anchoredChanges(_ at: Int64, _ expected: [Double]) {
        for (notation, want) in zip(Self.changeSeries, expected) {
            #expect(Self.anchored(notation, at: at, range: 5 * F.minute, RangeKernels.changes) == want, "\(notation)")
        }
    }

    @Test func anchoredResets() {
        let got = Self.changeSeries.map { Self.anchored($0, at: 330 * F.second, range: 5 * F.minute, RangeKernels.resets) }
        #expect(got == [0, 0, 5, 4])
    }

    @Test func anchoredChangesNeedASampleInTheWindowAndRespectTheLookback() {
        let sparse = "2 _ 1 _ _ _ _ _ 0"
        #expect(Self.anchored(sparse, at: 2 * F.minute, range: F.minute, RangeKernels.changes) == 1)
        #expect(Self.anchored(sparse, at: 3 * F.minute, range: F.minute, RangeKernels.changes) == nil)
        #expect(Self.anchored(sparse, at: 8 * F.minute, range: F.minute, RangeKernels.changes) == 0)
        #expect(Self.anchored(sparse, at: 8 * F.minute, range: F.minute + 1, RangeKernels.changes) == 1)
    }
}
