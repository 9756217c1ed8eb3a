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
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Layer 0 — vocabulary, pure
        .target(name: "PharosCore"),
        .target(name: "Relabel", dependencies: ["PharosCore"]),
        .target(name: "Exposition", dependencies: ["PharosCore"]),
        .target(name: "PromQLParser", dependencies: ["PharosCore"]),
        // Layer 1 — engines, files
        .target(name: "PharosConfig", dependencies: [
            "PharosCore", "Relabel", "PromQLParser", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "TSDB", dependencies: ["PharosCore", .product(name: "Logging", package: "swift-log")]),
        .target(name: "PromQL", dependencies: ["PharosCore", "PromQLParser"]),
        // Test support
        .target(name: "PharosTestSupport", dependencies: ["PharosCore"]),
        // Tests
        .testTarget(name: "PharosCoreTests", dependencies: ["PharosCore", "PharosTestSupport"]),
        .testTarget(name: "RelabelTests", dependencies: ["Relabel", "PharosTestSupport"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "PharosTestSupport"]),
        .testTarget(name: "PromQLParserTests", dependencies: ["PromQLParser", "PharosTestSupport"]),
        .testTarget(name: "PharosConfigTests", dependencies: ["PharosConfig", "PharosTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TSDBTests", dependencies: ["TSDB", "PharosTestSupport"]),
        .testTarget(name: "PromQLTests", dependencies: ["PromQL", "TSDB", "PharosTestSupport"]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
