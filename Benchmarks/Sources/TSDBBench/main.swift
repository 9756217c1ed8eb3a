import Dispatch
import Foundation
import PharosCore
import TSDB

// Usage: swift run -c release TSDBBench [name-filter]
let filter = CommandLine.arguments.dropFirst().first
func shouldRun(_ name: String) -> Bool { filter.map { name.contains($0) } ?? true }

print("Pharos TSDB micro-benchmarks (release build). ns/op = process CPU (all threads) per op.")

if shouldRun("append") { try appendBenchmarks() }
if shouldRun("wal") { try walBenchmark() }
if shouldRun("xor") { xorBenchmarks() }
if shouldRun("query") { try await queryBenchmark() }
if shouldRun("rss") { try rssBenchmark() }
