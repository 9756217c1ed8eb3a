// swift-tools-version:6.1
import PackageDescription

// Micro-benchmarks of the TSDB, built in release mode only (CI's `swift test` never builds this
// nested package). ordo-one/benchmark cannot be fetched on the offline build machine, so this is
// a plain executable with its own malloc counter (STYLE.md §19 fallback):
//
//     cd Benchmarks && swift run -c release TSDBBench [filter]
//
// TSDB's API has `package` access, which a path dependency on `..` cannot see (SwiftPM gives
// every package its own `-package-name`). So `Sources/PharosCore` and `Sources/TSDB` here are
// symlinks to the parent's sources, compiled into this package.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "PharosBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(name: "PharosCore", swiftSettings: swiftSettings),
        .target(name: "TSDB", dependencies: ["PharosCore", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        .target(name: "MallocCounter"),
        .executableTarget(
            name: "TSDBBench",
            dependencies: ["TSDB", "PharosCore", "MallocCounter", .product(name: "Logging", package: "swift-log")]
        ),
    ]
)
