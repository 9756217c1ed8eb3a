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
    // PharosCore, TSDB and PromQL are library products only so the nested Benchmarks/ package can depend on them.
    products: [
        .library(name: "PharosCore", targets: ["PharosCore"]),
        .library(name: "TSDB", targets: ["TSDB"]),
        .library(name: "PromQL", targets: ["PromQL", "PromQLParser"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // HummingbirdTesting is not used: it pulls in AsyncHTTPClient. swift-configuration support is off.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // NIOCore/NIOHTTP1 types at the HTTP edges, NIOPosix's thread pool for the TSDB's blocking file work.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        // HTTPTypes, which Hummingbird's API exposes (methods, status codes, header fields).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        // The embedded Alertmanager's state database (SQLite, Debian's libsqlite3).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Server-rendered pages (the status page; the UI's pages next).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The postgres prober (connect and run one query).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Layer 0 — vocabulary, pure
        .target(name: "PharosCore"),
        .target(name: "Snappy"),
        .target(name: "Relabel", dependencies: ["PharosCore"]),
        .target(name: "Exposition", dependencies: ["PharosCore", "Snappy"]),
        .target(name: "PromQLParser", dependencies: ["PharosCore"]),
        // Go's text/template with Prometheus' and Alertmanager's template functions.
        .target(name: "Templating", dependencies: ["PharosCore"]),
        // Layer 1 — engines, files
        .target(name: "PharosConfig", dependencies: [
            "PharosCore", "Relabel", "PromQLParser", .product(name: "Yams", package: "Yams"),
        ]),
        // NIOPosix for NIOThreadPool: blocking file work runs off the cooperative pool.
        .target(name: "TSDB", dependencies: [
            "PharosCore", "Snappy", .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "PromQL", dependencies: ["PharosCore", "PromQLParser"]),
        // Prometheus' promqltest script format (load/eval/clear) and its runner: the
        // conformance suite, `pharos promql test`, and later promtool's rule-test series notation.
        .target(name: "PromQLTest", dependencies: ["PharosCore", "PromQLParser", "PromQL"]),
        // Layer 2 — features
        .target(name: "Push", dependencies: [
            "PharosCore", "Exposition", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "PharosHTTPClient", dependencies: [
            "PharosConfig", "PharosCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Discovery", dependencies: [
            "PharosCore", "PharosConfig", "PharosHTTPClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "Scrape", dependencies: [
            "PharosCore", "Exposition", "Relabel", "PharosConfig", "PharosHTTPClient", "Discovery",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The embedded Alertmanager: alertmanager.yml, matchers, routing tree, inhibition, time intervals.
        // Notify/: the Slack, email (SMTP over NIO) and PagerDuty notifiers and their default templates.
        // Runtime: alert store, dispatcher, notification pipeline, silences, nflog, v2 API handlers, webhook.
        .target(name: "Alerting", dependencies: [
            "PharosCore", "PharosConfig", "Templating", "PharosHTTPClient",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The embedded Alertmanager's state (alerts, silences, nflog, history, acks…) in one
        // SQLite database through GRDB, behind Alerting's RecordStore port.
        .target(name: "AlertingState", dependencies: [
            "Alerting",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Prometheus' notifier: the rule manager's alerts to the Alertmanagers of `alerting:`
        // (static or discovered, relabelled, API v2) and to the embedded one.
        .target(name: "AlertForwarding", dependencies: [
            "PharosCore", "PharosConfig", "Relabel", "Discovery", "PharosHTTPClient", "Alerting",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Prometheus' rule files (rulefmt), rule groups, recording and alerting rules, the rule
        // manager; consumes InstantQuerying, Appendable and AlertSink (seams it owns).
        .target(name: "Rules", dependencies: [
            "PharosCore", "PharosConfig", "PromQLParser", "PromQL", "Templating",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // SLO specs (`slos:`) → rule groups (error ratios, budget, SRE-workbook burn-rate alerts)
        // and budget math; pure on top of PromQLParser.
        .target(name: "SLO", dependencies: ["PharosCore", "PharosConfig", "PromQLParser"]),
        // Uptime and incidents from the checks' probe_success; the public status page.
        .target(name: "Uptime", dependencies: ["PharosCore", .product(name: "Mustache", package: "swift-mustache")]),
        // The built-in blackbox exporter: blackbox.yml modules, probers (http, tcp, dns, icmp,
        // postgres, redis, tls, disk, memory), `/probe` answers and scheduled checks.
        .target(name: "Probes", dependencies: [
            "PharosCore", "PharosConfig", "PharosHTTPClient", "Exposition",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The built-in node exporter: node_exporter 1.5's Linux collectors read from /proc and /sys.
        .target(name: "HostMetrics", dependencies: [
            "PharosCore", "Exposition", .product(name: "Logging", package: "swift-log"),
        ]),
        // Layer 3 — adapters and composition
        .target(name: "PharosHTTP", dependencies: [
            "PharosCore", "PromQL", "PromQLParser", "Exposition", "Snappy", "Push",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "PharosServer", dependencies: [
            "PharosCore", "PharosConfig", "PromQL", "PromQLParser", "TSDB", "Push", "Discovery", "Scrape", "PharosHTTP", "Rules",
            "Alerting", "AlertingState", "AlertForwarding", "Probes", "SLO", "Uptime",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            "HostMetrics", .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "PharosCLI", dependencies: [
            "PharosCore", "PharosConfig", "Alerting", "TSDB", "PromQL", "PromQLParser", "PromQLTest", "Rules", "SLO", "Probes",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "pharos", dependencies: [
            "PharosServer", "PharosCLI", "PharosCore", "PromQL", "Alerting", "Rules",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Test support
        .target(name: "PharosTestSupport", dependencies: ["PharosCore"]),
        // Stand-in HTTP servers (Kubernetes API, HTTPS) for tests of layer 2 and up.
        .target(name: "HTTPTestSupport", dependencies: [
            "PharosTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Tests
        .testTarget(name: "PharosCoreTests", dependencies: ["PharosCore", "PharosTestSupport"]),
        .testTarget(name: "RelabelTests", dependencies: ["Relabel", "PharosTestSupport"]),
        .testTarget(name: "SnappyTests", dependencies: ["Snappy", "PharosTestSupport"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition", "Snappy", "PharosTestSupport"]),
        .testTarget(name: "PromQLParserTests", dependencies: ["PromQLParser", "PharosTestSupport"]),
        // GoOracle/: Go programs that produced expected strings (manual; see its README).
        .testTarget(name: "TemplatingTests", dependencies: ["Templating", "PharosCore", "PharosTestSupport"],
                    exclude: ["GoOracle"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PharosConfigTests", dependencies: ["PharosConfig", "PharosTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TSDBTests", dependencies: [
            "TSDB", "Snappy", "PharosTestSupport", .product(name: "InMemoryLogging", package: "swift-log"),
        ]),
        .testTarget(name: "PromQLTests", dependencies: [
            "PromQL", "TSDB", "PharosTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "PromQLTestTests", dependencies: [
            "PromQLTest", "PromQL", "TSDB", "PharosTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "UptimeTests", dependencies: ["Uptime", "PharosCore"]),
        .testTarget(name: "SLOTests", dependencies: [
            "SLO", "Rules", "PharosCLI", "PharosCore", "PharosConfig", "PromQLParser", "PharosTestSupport",
        ]),
        .testTarget(name: "RulesTests", dependencies: [
            "Rules", "PharosCLI", "PharosCore", "PharosConfig", "PromQL", "PromQLParser", "PharosTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "PushTests", dependencies: [
            "Push", "TSDB", "PharosTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DiscoveryTests", dependencies: [
            "Discovery", "PharosConfig", "PharosCore", "PharosTestSupport", "HTTPTestSupport", "PharosHTTPClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "ScrapeTests", dependencies: [
            "Scrape", "Discovery", "PharosHTTPClient", "TSDB", "PharosTestSupport", "PharosConfig", "Relabel", "Exposition",
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "PharosHTTPTests", dependencies: [
            "PharosHTTP", "PharosTestSupport", "PharosCore", "PromQL", "TSDB", "Exposition", "Snappy", "Push",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "ProbesTests", dependencies: [
            "Probes", "PharosConfig", "PharosCore", "PharosTestSupport", "HTTPTestSupport", "PharosHTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "HostMetricsTests", dependencies: [
            "HostMetrics", "Exposition", "PharosCore", "PharosTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AlertForwardingTests", dependencies: ["AlertForwarding", "PharosConfig", "PharosCore", "Relabel"]),
        .testTarget(name: "AlertingStateTests", dependencies: [
            "AlertingState", "Alerting", "PharosCore", "PharosTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "AlertingTests", dependencies: [
            "Alerting", "PharosConfig", "PharosCore", "PharosTestSupport", "Templating", "HTTPTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "PharosCLITests", dependencies: [
            "PharosCLI", "PharosCore", "TSDB", "PharosTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "PharosServer", "PharosHTTP", "PharosTestSupport", "HTTPTestSupport", "PharosCore", "PharosConfig", "PromQL",
            "TSDB", "Exposition", "Snappy", "Alerting",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
