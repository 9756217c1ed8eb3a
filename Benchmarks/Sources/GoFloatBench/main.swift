import Glibc
import MallocCounter
import PharosCore

// GoFloatBench: CPU ns and heap allocations per formatted value, for `GoFloat` and for the
// formatters it replaced (Baseline.swift), over value mixes seen on the exposition and JSON paths.
//
//     cd Benchmarks && swift build -c release --product GoFloatBench && .build/release/GoFloatBench
//
// Each figure is the minimum of `PHAROS_BENCH_RUNS` (default 5) runs over the same 200k values
// per mix (random, so each process formats a different sample of the mix).

let count = 200_000
var random = SystemRandomNumberGenerator()
let mixes: [(name: String, values: [Double])] = [
    // Counters: whole numbers up to ~1e9 (the common scrape value).
    ("counters", (0..<count).map { _ in Double(random.next() % 1_000_000_000) }),
    // Gauges with a few decimals (durations, ratios, temperatures).
    ("gauges", (0..<count).map { _ in Double(random.next() % 10_000_000) / 1000 }),
    // Timestamps in seconds with sub-second digits (process_start_time_seconds and friends).
    ("timestamps", (0..<count).map { _ in 1.7e9 + Double(random.next() % 100_000_000) / 1e6 }),
    // Any finite double (17 significant digits, exponents everywhere): the worst case.
    ("random bits", (0..<count).map { _ in
        var value: Double
        repeat { value = Double(bitPattern: random.next()) } while !value.isFinite
        return value
    }),
]

let formatters: [(name: String, format: (Double) -> String)] = [
    ("GoFloat 'g'", { GoFloat.format($0) }),
    ("old Exposition 'g'", BaselineExpositionFormat.format),
    ("old PromQL message %g", baselineMessageFormat),
    ("GoFloat apiValue", GoFloat.apiValue),
    ("old PharosHTTP apiValue", BaselineAPIFormat.apiValue),
]

func cpuNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

let runs = Int(getenv("PHAROS_BENCH_RUNS").map { String(cString: $0) } ?? "") ?? 5
var checksum = 0
print("mix".padding(12) + "formatter".padding(26) + "ns/value".padding(10, left: true) + "allocs/value".padding(14, left: true))
for mix in mixes {
    for formatter in formatters {
        var best = UInt64.max
        var allocations: UInt64 = 0
        for _ in 0..<runs {
            let allocsBefore = pharos_malloc_count()
            let start = cpuNanoseconds()
            for value in mix.values { checksum &+= formatter.format(value).utf8.count }
            best = min(best, cpuNanoseconds() - start)
            allocations = pharos_malloc_count() - allocsBefore
        }
        let nanoseconds = Double(best) / Double(count)
        let allocsPerValue = Double(allocations) / Double(count)
        print(mix.name.padding(12) + formatter.name.padding(26) + fixed(nanoseconds, 1).padding(10, left: true)
              + fixed(allocsPerValue, 2).padding(14, left: true))
    }
}
print("checksum \(checksum)")

extension String {
    func padding(_ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - self.count))
        return left ? fill + self : self + fill
    }
}

/// `value` with `digits` decimals, without Foundation.
func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = String(scaled / Int(scale))
    var fraction = String(scaled % Int(scale))
    while fraction.count < digits { fraction = "0" + fraction }
    return digits > 0 ? whole + "." + fraction : whole
}
