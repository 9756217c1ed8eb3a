import PharosCore
import PromQL
import Testing

/// `*_over_time` kernels, with expectations from Prometheus' functions.test.
@Suite(.timeLimit(.minutes(5))) struct OverTimeKernelsTests {
    typealias F = KernelFixtures

    /// `load 10s` series evaluated at 55s over [1m] (all five samples).
    static func all(_ notation: String) -> ArraySlice<Sample> {
        F.window(F.series(notation, step: 10 * F.second), at: 55 * F.second, range: F.minute)
    }

    @Test(arguments: [
        ("1 2 3 4 5", 3.0),
        ("1 2 3 4 Inf", .infinity),
        ("1 2 3 4 -Inf", -.infinity),
        ("1 2 3 Inf -Inf", .nan),
        ("Inf 0 Inf", .infinity),
        ("Inf Inf Inf -Inf", .nan),
        ("1 2 3 -Inf -Inf", -.infinity),
        ("-Inf 0 -Inf", -.infinity),
        ("-Inf -Inf -Inf Inf", .nan),
        ("1 2 -Inf -Inf Inf", .nan),
        ("9.988465674311579e+307 9.988465674311579e+307", 9.988465674311579e+307),
        ("-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307", -9.988465674311579e+307),
        ("-9.988465674311579e+307 9.988465674311579e+307", 0),
        ("1 2 3 NaN NaN", .nan),
    ])
    func avgOverTime(_ notation: String, _ expected: Double) {
        #expect(kernelEqual(RangeKernels.avgOverTime(Self.all(notation)), expected))
    }

    static let extremeCases: [(String, Double)] = [
        ("1e10 1e-6 1e-6 1e-6 1e-6 1e-6", 1.6666666666666675e+09),
        ("5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154", 1.67186744582113),
        ("1.78264e50 0.76342771 1.9592258 7.69805412 458.90154", 3.56528E+49),
        ("0.76342771 1.9592258 7.69805412 1.78264e50 458.90154", 3.56528E+49),
        ("1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154", 3.76333333333333E+219),
        ("-1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154", 3.76333333333333E+219),
        ("-1.78264E+50 0.76342771 1.9592258 -2.258E+220 7.69805412 -458.90154", -3.76333333333333E+219),
        ("-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154", 3.76330362266667E+219),
        ("-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 1.78264E+215 -458.90154", 3.225714285714286e+219),
        ("-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154",
         2.5088888888888888e+219),
        // Kahan cannot save this one either; Prometheus documents 0 as the expected outcome.
        ("-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154", 0),
    ]

    /// functions.test "More tests for extreme values" (load 5s, at 55s over [1m]); promqltest's
    /// own tolerance (1e-6 relative), since the file lists rounded values.
    @Test(arguments: extremeCases)
    func avgOverTimeWithExtremeValues(_ notation: String, _ expected: Double) {
        let window = F.window(F.series(notation, step: 5 * F.second), at: 55 * F.second, range: F.minute)
        #expect(kernelEqual(RangeKernels.avgOverTime(window), expected, tolerance: 1e-6))
    }

    @Test(arguments: [100 as Int64, 110, 120, 130])
    func avgOverTimeOfAConstantIsExact(_ rangeSeconds: Int64) {
        let window = F.window(F.series("52+0x100", step: 10 * F.second), at: 10 * F.minute, range: rangeSeconds * F.second)
        #expect(RangeKernels.avgOverTime(window) == 52)
    }

    @Test(arguments: [1000 as Int64, 1001, 1002, 1003, 2000, 2001, 2002, 2003, 3000, 3001, 3002, 3003])
    func sumOverTimeOnDenseSamples(_ rangeMs: Int64) {
        let window = F.window(F.series("1+0x4000", step: 1), at: 4 * F.second, range: rangeMs)
        #expect(RangeKernels.sumOverTime(window) == Double(rangeMs))
    }

    @Test func avgOverTimeWindows() {
        let samples = F.series("1 2 3 4 5", step: 10 * F.second)
        #expect(RangeKernels.avgOverTime(F.window(samples, at: 55 * F.second, range: 10 * F.second)) == nil)
        #expect(RangeKernels.avgOverTime(F.window(samples, at: 55 * F.second, range: 20 * F.second)) == 5)
        let nan = F.series("1 2 3 NaN NaN", step: 10 * F.second)
        #expect(RangeKernels.avgOverTime(F.window(nan, at: 20 * F.second, range: F.minute)) == 2)
        #expect(kernelEqual(RangeKernels.avgOverTime(F.window(nan, at: 30 * F.second, range: F.minute)), .nan))
    }

    @Test(arguments: [
        ("1 2 3 4 5", 15.0),
        ("9.988465674311579e+307 9.988465674311579e+307", .infinity),
        ("-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307", -.infinity),
        ("1 2 3 Inf -Inf", .nan),
    ])
    func sumOverTime(_ notation: String, _ expected: Double) {
        #expect(kernelEqual(RangeKernels.sumOverTime(Self.all(notation)), expected))
    }

    @Test func sumOverTimeIsCompensated() {
        let samples: ArraySlice = [1, 1e100, 1, -1e100].enumerated().map { Sample(timestamp: Int64($0.offset), value: $0.element) }[...]
        #expect(RangeKernels.sumOverTime(samples) == 2)
        #expect(RangeKernels.avgOverTime(samples) == 0.5)
    }

    @Test func varianceOverTime() {
        let window = F.window(F.series("0 8 8 2 3", step: 10 * F.second), at: F.minute, range: 2 * F.minute)
        #expect(kernelEqual(RangeKernels.stdvarOverTime(window), 10.56))
        #expect(kernelEqual(RangeKernels.stddevOverTime(window), 3.249615, tolerance: 1e-6))
        let constant = Self.all("1.5990505637277868 1.5990505637277868 1.5990505637277868")
        #expect(RangeKernels.stdvarOverTime(constant) == 0)
        #expect(RangeKernels.stddevOverTime(constant) == 0)
        #expect(RangeKernels.stdvarOverTime([]) == nil)
    }

    @Test(arguments: [
        ("4 6 2 1 999 1 2", 70 * F.second, 70 * F.second, 1.0),
        ("1 2 3 4 5", 40 * F.second, 50 * F.second, 1),
        ("7 7 7 7 7", 40 * F.second, 50 * F.second, 0),
        ("5", 0, 10 * F.second, 0),
        ("1 2 NaN 4", 30 * F.second, 40 * F.second, .nan),
    ])
    func madOverTime(_ notation: String, _ at: Int64, _ range: Int64, _ expected: Double) {
        let window = F.window(F.series(notation, step: 10 * F.second), at: at, range: range)
        #expect(kernelEqual(RangeKernels.madOverTime(window), expected))
    }

    @Test(arguments: [
        (0.0, "0 1", 0.0), (0, "0 1 2", 0), (0, "0 1 4", 0),
        (0.5, "0 1", 0.5), (0.5, "0 1 2", 1), (0.5, "0 1 4", 1),
        (0.75, "0 1", 0.75), (0.75, "0 1 2", 1.5), (0.75, "0 1 4", 2.5),
        (0.8, "0 1", 0.8), (0.8, "0 1 2", 1.6), (0.8, "0 1 4", 2.8),
        (1, "0 1", 1), (1, "0 1 2", 2), (1, "0 1 4", 4),
        (-1, "0 1 4", -.infinity), (2, "0 1 4", .infinity), (.nan, "0 1 4", .nan),
    ])
    func quantileOverTime(_ q: Double, _ notation: String, _ expected: Double) {
        let window = F.window(F.series(notation, step: 10 * F.second), at: F.minute, range: 2 * F.minute)
        #expect(kernelEqual(RangeKernels.quantileOverTime(q, window), expected))
    }

    @Test func timestampsOfMinAndMax() {
        // load 10s53ms: odd interval to catch rounding bugs.
        let window = F.window(F.series("1 2 3 0 5 6 2 1 4", step: 10_053), at: 90 * F.second, range: 90 * F.second)
        #expect(RangeKernels.timestampOfMinOverTime(window) == 30.159)
        #expect(RangeKernels.timestampOfMaxOverTime(window) == 50.265)
        #expect(RangeKernels.minOverTime(window) == 0)
        #expect(RangeKernels.maxOverTime(window) == 6)
    }

    @Test func timestampsOfFirstAndLast() {
        let last = F.series("1 2 3 _ _", step: 10_053)
        #expect(RangeKernels.timestampOfLastOverTime(F.window(last, at: 95 * F.second, range: 90 * F.second)) == 20.106)
        let first = F.series("_ _ 1 2 3 _ _", step: 10_053)
        #expect(RangeKernels.timestampOfFirstOverTime(F.window(first, at: 90 * F.second, range: 90 * F.second)) == 20.106)
        #expect(RangeKernels.timestampOfFirstOverTime(F.window(first, at: 15 * F.second, range: 90 * F.second)) == nil)
    }

    @Test func minAndMaxPreferNumbersOverNaN() {
        let mixed = Self.all("NaN 3 NaN 1 NaN")
        #expect(RangeKernels.minOverTime(mixed) == 1)
        #expect(RangeKernels.maxOverTime(mixed) == 3)
        #expect(kernelEqual(RangeKernels.maxOverTime(Self.all("NaN NaN")), .nan))
        // The last occurrence of the extreme wins for ts_of_*.
        let ties = Self.all("5 1 5 1")
        #expect(RangeKernels.timestampOfMaxOverTime(ties) == 20)
        #expect(RangeKernels.timestampOfMinOverTime(ties) == 30)
    }

    @Test func simpleOverTimeKernels() {
        let window = Self.all("4 NaN 2")
        #expect(RangeKernels.countOverTime(window) == 3)
        #expect(RangeKernels.presentOverTime(window) == 1)
        #expect(RangeKernels.firstOverTime(window) == 4)
        #expect(RangeKernels.lastOverTime(window) == 2)
        for kernel in [RangeKernels.countOverTime, RangeKernels.presentOverTime, RangeKernels.firstOverTime,
                       RangeKernels.lastOverTime, RangeKernels.sumOverTime, RangeKernels.avgOverTime,
                       RangeKernels.minOverTime, RangeKernels.maxOverTime, RangeKernels.madOverTime,
                       RangeKernels.timestampOfLastOverTime, RangeKernels.timestampOfMaxOverTime] {
            #expect(kernel([]) == nil)
        }
    }
}
