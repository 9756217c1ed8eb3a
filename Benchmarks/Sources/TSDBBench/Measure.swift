import Foundation
import MallocCounter

/// CPU time, wall time, allocations and RSS around one measured body.
struct Measurement {
    var name: String
    var operations: Int
    var unit: String
    var wallSeconds: Double
    var cpuSeconds: Double
    var allocations: UInt64

    var report: String {
        let cpuPerOp = cpuSeconds * 1e9 / Double(max(operations, 1))
        let wallRate = Double(operations) / max(wallSeconds, 1e-9)
        let allocsPerOp = Double(allocations) / Double(max(operations, 1))
        return String(format: "%-34@ %10d %-8@ cpu %9.1f ns/%@  wall %12.0f %@/s  allocs %7.3f /%@",
                      name as NSString, operations, unit as NSString, cpuPerOp, unit as NSString,
                      wallRate, unit as NSString, allocsPerOp, unit as NSString)
    }
}

/// Process CPU time (user + system) in seconds, all threads.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

/// Resident set size in bytes, from /proc/self/statm (second field, in pages).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Runs `body` once and measures it; `body` returns the number of operations it did.
func measure(_ name: String, unit: String, _ body: () throws -> Int) rethrows -> Measurement {
    let allocsBefore = pharos_malloc_count()
    let cpuBefore = processCPUSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    let operations = try body()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let cpu = processCPUSeconds() - cpuBefore
    let allocs = pharos_malloc_count() - allocsBefore
    let result = Measurement(name: name, operations: operations, unit: unit, wallSeconds: wall, cpuSeconds: cpu,
                             allocations: allocs)
    print(result.report)
    return result
}

/// A fresh temporary directory, removed by `cleanUp`.
func temporaryDirectory(_ tag: String) -> String {
    let path = NSTemporaryDirectory() + "pharos-bench-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func cleanUp(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// Sum of the sizes of the regular files under `path`.
func diskBytes(_ path: String) -> Int {
    guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
    var total = 0
    while let name = walker.nextObject() as? String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
        if attributes?[.type] as? FileAttributeType == .typeRegular { total += (attributes?[.size] as? Int) ?? 0 }
    }
    return total
}
