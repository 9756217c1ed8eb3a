import PromQL
import Testing

/// Compensated summation and the aggregation accumulators used by sum/avg/stddev/stdvar.
@Suite(.timeLimit(.minutes(5))) struct AccumulatorTests {
    static func fold<A>(_ values: [Double], _ make: (Double) -> A, _ add: (inout A, Double) -> Void) -> A {
        var accumulator = make(values[0])
        for value in values.dropFirst() { add(&accumulator, value) }
        return accumulator
    }

    static func sum(_ values: [Double]) -> Double {
        fold(values, SumAccumulator.init(first:)) { $0.add($1) }.value
    }

    static func mean(_ values: [Double]) -> Double {
        fold(values, MeanAccumulator.init(first:)) { $0.add($1) }.value
    }

    static func variance(_ values: [Double]) -> VarianceAccumulator {
        fold(values, VarianceAccumulator.init(first:)) { $0.add($1) }
    }

    @Test func kahanRecoversLostLowBits() {
        #expect(KahanSum.sum([1, 1e100, 1, -1e100]) == 2)
        #expect(KahanSum.sum([0.1, 0.2, 0.3]) == 0.6)
        #expect(KahanSum.sum([]) == 0)
        let naive = [1, 1e100, 1, -1e100].reduce(0, +)
        #expect(naive == 0, "the case above really needs compensation")
    }

    @Test func kahanResetsCompensationOnOverflow() {
        let (sum, c) = KahanSum.add(.greatestFiniteMagnitude, to: .greatestFiniteMagnitude, compensation: 1)
        #expect(sum == .infinity)
        #expect(c == 0)
        #expect(KahanSum.sum([.infinity, 1]) == .infinity)
        #expect(KahanSum.sum([.infinity, -.infinity]).isNaN)
    }

    static let sumCases: [([Double], Double)] = [
        ([1.0, 1e100, 1, -1e100], 2.0),
        ([1, 2, 3], 6),
        ([.infinity, 1], .infinity),
        ([.nan, 1], .nan),
        ([5], 5),
        // aggregators.test "Test summing and averaging extreme values".
        ([2, 8, 1e+100, -1e100], 10),
        ([.infinity, 2], .infinity), ([2, -.infinity], -.infinity), ([.infinity, -.infinity], .nan), ([.nan, 2], .nan),
    ]

    @Test(arguments: sumCases)
    func sumAggregation(_ values: [Double], _ expected: Double) {
        #expect(kernelEqual(Self.sum(values), expected))
    }

    static let meanCases: [([Double], Double)] = [
        ([1.0, 2, 3, 4, 5], 3.0),
        ([1, 2, 3, 4, .infinity], .infinity),
        ([1, 2, 3, .infinity, -.infinity], .nan),
        ([.infinity, 0, .infinity], .infinity),
        ([-.infinity, 0, -.infinity], -.infinity),
        ([9.988465674311579e+307, 9.988465674311579e+307], 9.988465674311579e+307),
        ([-9.988465674311579e+307, -9.988465674311579e+307, -9.988465674311579e+307], -9.988465674311579e+307),
        ([-9.988465674311579e+307, 9.988465674311579e+307], 0),
        ([1.7976931348623157e+308, 1.7976931348623157e+308, 1], 1.1984620899082105e+308),
        ([1, 2, 3, .nan, .nan], .nan),
        ([1, 1e100, 1, -1e100], 0.5),
        // aggregators.test avg: "ten", "inf_inf", mixed infinities, four big values.
        ([2, 8, 1e+100, -1e100], 2.5), ([.infinity, -.infinity], .nan), ([2, .infinity], .infinity), ([-.infinity, 2], -.infinity),
        ([-.infinity, 0, .infinity], .nan),
        ([9.988465674311579e+307, 9.988465674311579e+307, 9.988465674311579e+307, 9.988465674311579e+307], 9.988465674311579e+307),
        ([-9.988465674311579e+307, -9.988465674311579e+307, 9.988465674311579e+307, 9.988465674311579e+307], 0),
        (Array(repeating: 52, count: 12), 52),
    ]

    @Test(arguments: meanCases)
    func avgAggregation(_ values: [Double], _ expected: Double) {
        #expect(kernelEqual(Self.mean(values), expected), "got \(Self.mean(values))")
    }

    @Test func varianceAggregationFromAggregatorsTest() {
        let all = Self.variance([100, 200, 300, 400, 500, 600, 700, 800])
        #expect(all.variance == 52500)
        #expect(kernelEqual(all.standardDeviation, 229.12878474779, tolerance: 1e-12))
        #expect(Self.variance([100, 300, 500, 700]).variance == 50000)
        let step = 0 + 10 * 1.33   // "0+1.33x10" at 50m
        #expect(Self.variance([step, step, step]).standardDeviation == 0)
    }

    @Test func varianceAggregation() {
        let v = Self.variance([0, 8, 8, 2, 3])
        #expect(kernelEqual(v.variance, 10.56))
        #expect(kernelEqual(v.standardDeviation, 3.249615361854384))
        #expect(Self.variance([7]).variance == 0)
        #expect(Self.variance([.nan, 1]).variance.isNaN)
        #expect(Self.variance([.infinity]).variance.isNaN)
        #expect(Self.variance([1, .infinity]).standardDeviation.isNaN)
    }
}
