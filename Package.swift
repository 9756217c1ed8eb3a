// swift-tools-version:6.1
import PackageDescription

// One settings list for every target (STYLE.md §4). NonisolatedNonsendingByDefault: not adopted.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "pharos",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [],
    targets: [
        // Layer 0 — vocabulary, pure
        .target(name: "PharosCore"),
        .target(name: "Relabel", dependencies: ["PharosCore"]),
        .target(name: "Exposition", dependencies: ["PharosCore"]),
        .target(name: "PromQLParser", dependencies: ["PharosCore"]),
        // Layer 1 — engines, files
        .target(name: "TSDB", dependencies: ["PharosCore"]),
        .target(name: "PromQL", dependencies: ["PharosCore", "PromQLParser"]),
        // Test support
        .target(name: "PharosTestSupport", dependencies: ["PharosCore"]),
        // Tests
        .testTarget(name: "PharosCoreTests", dependencies: ["PharosCore", "PharosTestSupport"]),
        .testTarget(name: "RelabelTests", dependencies: ["Relabel", "PharosTestSupport"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "PharosTestSupport"]),
        .testTarget(name: "PromQLParserTests", dependencies: ["PromQLParser", "PharosTestSupport"]),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "PharosTestSupport"]),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL", "TSDB", "PharosTestSupport"]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
