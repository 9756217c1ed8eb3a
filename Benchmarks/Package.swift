// swift-tools-version:6.1
import Foundation
import PackageDescription

// Benchmarks, built in release mode only (CI's `swift test` never builds this nested package).
// ordo-one/benchmark cannot be fetched on the offline build machine, so these are plain
// executables (STYLE.md §19 fallback), with a small malloc counter for allocation figures:
//
//     cd Benchmarks && swift run -c release TSDBBench [append|wal|xor|query|rss]
//     cd Benchmarks && swift run -c release PromQLBenchmarks [filter]
//     cd Benchmarks && swift run -c release GoFloatBench
//
// The parent's API has `package` access, so the executables join the parent package's access
// domain: SwiftPM names a path dependency's package after its folder (identity, C99-mangled).
let parentIdentity = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()
let parentPackageName = String(parentIdentity.map { $0.isLetter || $0.isNumber ? $0 : "_" })
// SwiftPM's own -package-name (this package's) would come last and win: switch it off.
let parentAccess: [SwiftSetting] = [.unsafeFlags(["-package-name", parentPackageName])]

let package = Package(
    name: "PharosBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(name: "MallocCounter"),
        .executableTarget(
            name: "TSDBBench",
            dependencies: ["MallocCounter", .product(name: "TSDB", package: parentIdentity),
                           .product(name: "Logging", package: "swift-log")],
            packageAccess: false,
            swiftSettings: parentAccess
        ),
        .executableTarget(
            name: "PromQLBenchmarks",
            dependencies: [.product(name: "TSDB", package: parentIdentity),
                           .product(name: "PromQL", package: parentIdentity),
                           .product(name: "Logging", package: "swift-log")],
            packageAccess: false,
            swiftSettings: parentAccess
        ),
        .executableTarget(
            name: "GoFloatBench",
            dependencies: ["MallocCounter", .product(name: "PharosCore", package: parentIdentity)],
            packageAccess: false,
            swiftSettings: parentAccess
        ),
    ]
)
