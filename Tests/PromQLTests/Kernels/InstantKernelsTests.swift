import PromQL
import Testing

/// Element-wise math, clamp, round and quantile, from functions.test, trig_functions.test and
/// aggregators.test.
@Suite(.timeLimit(.minutes(5))) struct InstantKernelsTests {
    static func apply(_ name: String, _ value: Double) -> Double? {
        InstantKernels.mathFunction(named: name).map { $0(value) }
    }

    // trig_functions.test lists sinh(10) as cosh(10); promqltest only compares to 1e-6, so the
    // exact sinh(10) is used here.
    static let mathCases: [(String, Double, Double)] = [
        ("sin", 10.0, -0.5440211108893699), ("sin", 20, 0.9129452507276277),
        ("cos", 10, -0.8390715290764524), ("cos", 20, 0.40808206181339196),
        ("tan", 10, 0.6483608274590867), ("tan", 20, 2.2371609442247427),
        ("asin", -0.09999999999999964, -0.10016742116155944), ("asin", 9.9, .nan),
        ("acos", -0.09999999999999964, 1.670963747956456), ("acos", 9.9, .nan),
        ("atan", 10, 1.4711276743037345), ("atan", 20, 1.5208379310729538),
        ("sinh", 10, 11013.232874703393), ("sinh", 20, 2.4258259770489514e+08),
        ("cosh", 10, 11013.232920103324), ("cosh", 20, 2.4258259770489514e+08),
        ("tanh", 10, 0.9999999958776927), ("tanh", 20, 1),
        ("asinh", 10, 2.99822295029797), ("asinh", 20, 3.6895038689889055),
        ("acosh", 10, 2.993222846126381), ("acosh", 20, 3.6882538673612966),
        ("atanh", -0.09999999999999964, -0.10033534773107522), ("atanh", 9.9, .nan),
        ("rad", 10, 0.17453292519943295), ("rad", 20, 0.3490658503988659), ("rad", 0, 0), ("rad", -10, -0.17453292519943295),
        ("deg", 10, 572.9577951308232), ("deg", 20, 1145.9155902616465), ("deg", -10, -572.9577951308232),
        ("sin", .nan, .nan), ("deg", .nan, .nan),
        ("abs", -100, 100), ("ceil", 0.4, 1), ("ceil", 0.8, 1), ("floor", 0.4, 0), ("floor", 0.8, 0),
        ("exp", 0, 1), ("exp", .infinity, .infinity), ("ln", 1, 0), ("ln", 0, -.infinity), ("ln", -1, .nan),
        ("sqrt", 16, 4), ("sqrt", -1, .nan), ("log2", 8, 3), ("log2", 0.5, -1), ("log2", 0, -.infinity),
        ("log2", -1, .nan), ("log2", .infinity, .infinity),
        // Go computes log10 through log2, so log10(1000) is not exactly 3.
        ("log10", 1000, 2.9999999999999996), ("log10", 100, 2), ("log10", 0, -.infinity), ("log10", -5, .nan),
        ("sgn", -.infinity, -1), ("sgn", .infinity, 1), ("sgn", .nan, .nan), ("sgn", -50, -1), ("sgn", 0, 0), ("sgn", 100, 1),
    ]

    @Test(arguments: mathCases)
    func mathFunction(_ name: String, _ input: Double, _ expected: Double) {
        let result = Self.apply(name, input)
        #expect(kernelEqual(result, expected, tolerance: 1e-15), "\(name)(\(input)) = \(String(describing: result))")
    }

    @Test(arguments: ["", "pi", "round", "clamp", "year", "Sin", "log"])
    func mathFunctionRejectsOtherNames(_ name: String) {
        #expect(InstantKernels.mathFunction(named: name) == nil)
    }

    @Test func sgnKeepsTheSignOfZero() {
        #expect(InstantKernels.sgn(-0.0).sign == .minus)
        #expect(InstantKernels.pi == 3.141592653589793)
    }

    static let roundCases: [(Double, Double, Double)] = [
        (0.004 * 100, 1.0, 0.0), (0.004 * 200, 1, 1), (-1 * (0.004 * 100), 1, 0), (-1 * (0.004 * 200), 1, -1),
        (0.005 * 100, 1, 1), (0.005 * 200, 1, 1), (-1 * (0.005 * 100), 1, 0), (-1 * (0.005 * 200), 1, -1),
        (1 + 0.005 * 100, 1, 2), (1 + 0.005 * 200, 1, 2), (-1 * (1 + 0.005 * 100), 1, -1), (-1 * (1 + 0.005 * 200), 1, -2),
        (0.0005 * 100, 0.1, 0.1), (0.0005 * 200, 0.1, 0.1), (2.1 + 0.0005 * 100, 0.1, 2.2), (2.1 + 0.0005 * 200, 0.1, 2.2),
        (5.2 + 0.0005 * 100, 0.1, 5.3), (5.2 + 0.0005 * 200, 0.1, 5.3),
        (-1 * (5.2 + 0.0005 * 100), 0.1, -5.2), (-1 * (5.2 + 0.0005 * 200), 0.1, -5.3),
        (0.025 * 100, 5, 5), (0.025 * 200, 5, 5), (.nan, 1, .nan), (.infinity, 1, .infinity),
    ]

    @Test(arguments: roundCases)
    func round(_ value: Double, _ toNearest: Double, _ expected: Double) {
        #expect(kernelEqual(InstantKernels.round(value, toNearest: toNearest), expected, tolerance: 1e-15))
    }

    static let clampCases: [(Double, Double, Double, Double?)] = [
        (-50.0, -25.0, 75.0, -25.0), (0, -25, 75, 0), (100, -25, 75, 75),
        (-50, 0, .nan, .nan), (100, .nan, 0, .nan), (0, .nan, .nan, .nan),
        (.nan, -1, 1, .nan), (5, 5, 5, 5), (1, 5, -5, nil),
        (.infinity, -.infinity, .infinity, .infinity),
    ]

    @Test(arguments: clampCases)
    func clamp(_ value: Double, _ lower: Double, _ upper: Double, _ expected: Double?) {
        #expect(kernelEqual(InstantKernels.clamp(value, min: lower, max: upper), expected))
    }

    @Test func clampMinAndMax() {
        #expect(InstantKernels.clampMax(-50, max: 75) == -50)
        #expect(InstantKernels.clampMax(100, max: 75) == 75)
        #expect(InstantKernels.clampMin(-50, min: -25) == -25)
        #expect(InstantKernels.clampMin(100, min: -25) == 100)
        #expect(InstantKernels.clampMax(InstantKernels.clampMin(-50, min: -20), max: 70) == -20)
        #expect(InstantKernels.clampMin(.nan, min: 0).isNaN)
        #expect(InstantKernels.clampMax(1, max: .nan).isNaN)
        #expect(InstantKernels.clampMin(-0.0, min: 0).sign == .plus)
    }

    static let quantileCases: [(Double, [Double], Double)] = [
        (0.8, [0.0, 1], 0.8), (0.8, [0, 1, 2], 1.6), (0.8, [0, 1, 4], 2.8), (0.8, [0, 1, .nan], 0.6),
        (0.2, [0, 1], 0.2), (0.2, [0, 1, 2], 0.4), (0.2, [4, 1, 0], 0.4), (0.2, [0, 1, .nan], .nan),
        (0.5, [], .nan), (.nan, [1], .nan), (-0.1, [1], -.infinity), (1.1, [1], .infinity), (0.3, [7], 7),
    ]

    @Test(arguments: quantileCases)
    func quantile(_ q: Double, _ values: [Double], _ expected: Double) {
        #expect(kernelEqual(InstantKernels.quantile(q, values), expected))
    }
}
