import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Relabel
import Testing

private func seconds(_ value: Int64) -> PrometheusDuration { PrometheusDuration(milliseconds: value * 1000) }

@Test func gettingStartedDefaultsAndInheritance() throws {
    let config = try Fixtures.parse("getting-started-good.yml")
    #expect(config.global.scrapeInterval == seconds(15))
    #expect(config.global.scrapeTimeout == seconds(10))
    #expect(config.global.evaluationInterval == seconds(60))
    #expect(config.global.externalLabels == Labels(["monitor": "codelab-monitor"]))
    let job = try #require(config.scrapeConfig(named: "prometheus"))
    #expect(job.scrapeInterval == seconds(5))
    // The global 10s timeout does not fit in 5s: the job's timeout becomes its interval.
    #expect(job.scrapeTimeout == seconds(5))
    #expect(job.metricsPath == "/metrics")
    #expect(job.scheme == "http")
    #expect(job.honorTimestamps)
    #expect(!job.honorLabels)
    #expect(job.httpClient.followRedirects && job.httpClient.enableHTTP2)
    #expect(job.scrapeProtocols == ScrapeProtocol.defaults)
    #expect(job.staticConfigs == [TargetGroup(addresses: ["localhost:9090"], source: "0")])
}

@Test func emptyDocumentIsTheDefaultConfig() throws {
    var config = try parseConfig("", filename: "empty.yml")
    #expect(config.file == "empty.yml")
    config.file = ""
    #expect(config == PharosConfig())
    #expect(config.global.scrapeInterval == seconds(60))
    var commented = try parseConfig("# only a comment\n", filename: "c.yml")
    commented.file = ""
    #expect(commented == PharosConfig())
}

@Test func fullConfigValues() throws {
    let config = try Fixtures.parse("full-good.yml")
    #expect(config.global.limits.bodySizeLimit == ByteSize(bytes: 15 * 1024 * 1024))
    #expect(config.global.limits.sampleLimit == 1500)
    #expect(config.global.scrapeProtocols == [.openMetricsText1_0_0, .prometheusText0_0_4])
    #expect(config.global.queryLogFile == "query.log")
    #expect(config.ruleFiles == ["first.rules", "my/*.rules"])
    #expect(config.scrapeConfigs.map(\.jobName) == ["prometheus", "service-x", "service-y", "service-z",
                                                    "service-kubernetes", "service-bearer"])

    let prometheus = config.scrapeConfigs[0]
    #expect(prometheus.honorLabels)
    #expect(prometheus.scrapeInterval == seconds(15))
    #expect(prometheus.scrapeTimeout == seconds(10))
    #expect(prometheus.limits.sampleLimit == 1500)  // inherited from global
    #expect(prometheus.scrapeProtocols == [.openMetricsText1_0_0, .prometheusText0_0_4])
    #expect(prometheus.fileSDConfigs.map(\.files) == [["foo/*.slow.json", "foo/*.slow.yml", "single/file.yml"], ["bar/*.yaml"]])
    #expect(prometheus.fileSDConfigs.map(\.refreshInterval) == [seconds(600), seconds(300)])
    #expect(prometheus.staticConfigs.first?.labels == Labels(["my": "label", "your": "label"]))
    #expect(prometheus.relabelConfigs.count == 6)
    #expect(prometheus.relabelConfigs[0].replacement == "foo-${1}")
    #expect(prometheus.relabelConfigs[0].regex.pattern == "(.*)some-[regex]")
    #expect(prometheus.relabelConfigs[1].regexIsDefault)
    // `regex:` with no value is Go's zero value, the empty regex, not the default.
    #expect(prometheus.relabelConfigs[3].regex.pattern == "" && !prometheus.relabelConfigs[3].regexIsDefault)
    #expect(prometheus.relabelConfigs[4].action == .keepequal)
    #expect(prometheus.httpClient.authorization == .init(type: "Bearer", credentials: nil, credentialsFile: "valid_token_file"))
    #expect(prometheus.httpClient.tlsConfig.minVersion == "TLS10")

    let serviceX = config.scrapeConfigs[1]
    #expect(serviceX.scrapeInterval == seconds(50))
    #expect(serviceX.scrapeTimeout == seconds(5))
    #expect(serviceX.scheme == "https")
    #expect(serviceX.metricsPath == "/my_path")
    #expect(serviceX.limits.bodySizeLimit == ByteSize(bytes: 10 * 1024 * 1024))
    #expect(serviceX.limits.targetLimit == 35)
    #expect(serviceX.httpClient.basicAuth?.password == "multiline\nmysecret\ntest")
    #expect(serviceX.otherServiceDiscovery.isEmpty)
    #expect(serviceX.serviceDiscovery.dnsSDConfigs == [
        DNSSDConfig(names: ["first.dns.address.domain.com", "second.dns.address.domain.com"], refreshInterval: seconds(15)),
        DNSSDConfig(names: ["first.dns.address.domain.com"]),
    ])
    #expect(config.scrapeConfigs[2].otherServiceDiscovery.keys.sorted() == ["consul_sd_configs"])
    let kubernetes = try #require(config.scrapeConfig(named: "service-kubernetes")?.serviceDiscovery.kubernetesSDConfigs.first)
    #expect(kubernetes.role == .endpoints)
    #expect(kubernetes.apiServer == "https://localhost:1234")
    #expect(kubernetes.httpClient.basicAuth?.username == "myusername")
    #expect(serviceX.relabelConfigs.map(\.action) == [.drop, .hashmod, .keep, .labelmap, .labeldrop, .labelkeep])
    #expect(serviceX.relabelConfigs[1].modulus == 8)
    #expect(serviceX.metricRelabelConfigs.count == 1)

    #expect(config.scrapeConfigs[2].relabelConfigs[0].separator == ",")
    #expect(config.scrapeConfigs[3].httpClient.tlsConfig.certFile == "valid_cert_file")

    let bearer = config.scrapeConfigs[5]
    #expect(bearer.httpClient.authorization?.credentialsFile == "valid_token_file")
    #expect(bearer.params == ["module": ["http_2xx"], "extra": ["a", "b"]])
    #expect(!bearer.honorTimestamps)
    #expect(!bearer.httpClient.followRedirects && !bearer.httpClient.enableHTTP2)
    #expect(bearer.httpClient.proxyURL == "http://proxy.example.com:3128")
    #expect(bearer.fallbackScrapeProtocol == .prometheusText0_0_4)

    #expect(config.remoteWrite.map(\.url) == ["http://remote1/push", "http://remote2/push"])
    #expect(config.remoteWrite[0].writeRelabelConfigs.first?.action == .drop)
    #expect(config.remoteWrite[0].httpClient.oauth2 != nil)
    #expect(config.remoteWrite[1].headers == ["name": "value"])
    #expect(config.remoteWrite[1].queueConfig.capacity == 2500)
    #expect(config.remoteWrite[1].queueConfig.maxShards == 10)
    #expect(config.remoteWrite[1].queueConfig.batchSendDeadline == seconds(10))
    #expect(config.remoteWrite[1].queueConfig.maxSamplesPerSend == 2000)
    #expect(config.remoteWrite[0].remoteTimeout == seconds(30))
    #expect(!config.remoteWrite[0].httpClient.enableHTTP2 && config.remoteWrite[0].httpClient.followRedirects)
    #expect(config.remoteRead.map(\.name) == ["default", "read_special"])
    #expect(config.remoteRead[0].readRecent && !config.remoteRead[0].httpClient.enableHTTP2)
    #expect(config.remoteRead[1].requiredMatchers == ["job": "special"])
    #expect(config.remoteRead[1].remoteTimeout == seconds(60))
    #expect(!config.alerting.alertmanagers.isEmpty)
    #expect(config.storage.outOfOrderTimeWindow == seconds(1800))
}

@Test func pharosSectionsAreKeptRaw() throws {
    let config = try Fixtures.parse("pharos-sections-good.yml")
    #expect(config.alertmanager?["route"]?["receiver"]?.kind == .scalar("team-chat", quoted: false))
    #expect(config.escalations != nil && config.silenceNotices != nil && config.probes != nil)
    #expect(config.maintenance != nil && config.slos != nil)
    #expect(config.dashboards?["path"]?.kind == .scalar("dashboards/", quoted: false))
    #expect(config.dashboards?["path"]?.line == 46)
    #expect(config.scrapeConfigs[0].scrapeTimeout == seconds(5))
    // A later module decodes its raw section with the original positions.
    let probes = try #require(config.cursor(for: "probes"))
    let checks = try #require(try probes.mapping("probes").take("checks")?.sequence())
    let error = checks[0].fail("example")
    #expect(error.description == "pharos-sections-good.yml:29:7: probes.checks[0]: example")
    #expect(config.cursor(for: "nope") == nil)
}

@Test func embeddedDefaultScrapesPharos() {
    let config = PharosConfig.default(listenAddress: "127.0.0.1:9090")
    #expect(config.scrapeConfigs.count == 2)
    let job = config.scrapeConfigs[0]
    #expect(job.jobName == "pharos")
    #expect(job.scrapeInterval == seconds(15))
    #expect(job.scrapeTimeout == seconds(10))
    #expect(job.staticConfigs.first?.addresses == ["127.0.0.1:9090"])
    let node = config.scrapeConfigs[1]
    #expect(node.jobName == "node" && node.metricsPath == "/metrics/node")
    #expect(node.staticConfigs.first?.addresses == ["127.0.0.1:9090"] && node.scrapeInterval == seconds(15))
}

@Test func loadConfigResolvesRelativePaths() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let text = """
        rule_files: [rules/*.yml, /abs/x.yml]
        scrape_configs:
          - job_name: a
            basic_auth: {username: u, password_file: secrets/pw}
            file_sd_configs: [{files: [sd/*.json]}]
        """
    let path = directory.path + "/prometheus.yml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let config = try loadConfig(path: path)
    #expect(config.ruleFiles == [directory.path + "/rules/*.yml", "/abs/x.yml"])
    #expect(config.scrapeConfigs[0].httpClient.basicAuth?.passwordFile == directory.path + "/secrets/pw")
    #expect(config.scrapeConfigs[0].fileSDConfigs[0].files == [directory.path + "/sd/*.json"])
}

@Test func missingFileIsAnIOError() {
    #expect {
        _ = try loadConfig(path: "/nonexistent/pharos.yml")
    } throws: { error in
        guard let error = error as? ConfigError else { return false }
        return error.kind == .io && error.description.hasPrefix("/nonexistent/pharos.yml: cannot read config file")
    }
}

@Test func errorDescriptionShapes() {
    #expect(ConfigError(.io, file: "a.yml", message: "boom").description == "a.yml: boom")
    #expect(ConfigError(.syntax, file: "a.yml", line: 3, column: 4, message: "bad").description == "a.yml:3:4: bad")
    #expect(ConfigError(.invalidValue, file: "a.yml", line: 3, column: 4, keyPath: "global.x", message: "bad").description
        == "a.yml:3:4: global.x: bad")
}

let byteSizeCases: [(String, Int64)] = [
    ("0", 0), ("512B", 512), ("1KB", 1024), ("1KiB", 1024), ("10MB", 10_485_760), ("1GB", 1_073_741_824),
    ("1GB512MB", 1_610_612_736), ("1.5MB", 1_572_864), ("2TiB", 2_199_023_255_552),
]

@Test(arguments: byteSizeCases)
func byteSizes(_ text: String, _ bytes: Int64) throws {
    #expect(try ByteSize(parsing: text).bytes == bytes)
}

@Test(arguments: ["", "10", "MB", "10XB", "1.2.3MB", "-1MB", "10 MB"])
func invalidByteSizes(_ text: String) {
    #expect(throws: ByteSizeError.self) { try ByteSize(parsing: text) }
}

@Test func timeoutDefaultsFollowPrometheus() throws {
    let config = try parseConfig("""
        global: {scrape_interval: 30s, scrape_timeout: 20s}
        scrape_configs:
          - job_name: short
            scrape_interval: 15s
          - job_name: long
            scrape_interval: 1m
          - job_name: inherit
        """, filename: "t.yml")
    #expect(config.scrapeConfigs.map(\.scrapeTimeout) == [seconds(15), seconds(20), seconds(20)])
    #expect(config.scrapeConfigs.map(\.scrapeInterval) == [seconds(15), seconds(60), seconds(30)])
    // A global interval under 10s pulls the default timeout down to it.
    let small = try parseConfig("global: {scrape_interval: 5s}", filename: "s.yml")
    #expect(small.global.scrapeTimeout == seconds(5))
}

@Test func relabelRulesFromConfigRun() throws {
    let config = try parseConfig("""
        scrape_configs:
          - job_name: a
            relabel_configs:
              - source_labels: [__address__]
                regex: '([^:]+):\\d+'
                target_label: host
              - action: labeldrop
                regex: __tmp.*
        """, filename: "r.yml")
    let out = Relabel.process(Labels(["__address__": "web:80", "__tmp_x": "1"]), config.scrapeConfigs[0].relabelConfigs)
    #expect(out == Labels(["__address__": "web:80", "host": "web"]))
}

@Test func shippedExampleConfigLoads() throws {
    let config = try Fixtures.parse("prometheus-example-good.yml")
    #expect(config.global.evaluationInterval == seconds(15))
    #expect(config.ruleFiles.isEmpty)
    #expect(!config.alerting.alertmanagers.isEmpty)
    let job = try #require(config.scrapeConfig(named: "prometheus"))
    #expect(job.scrapeTimeout == seconds(10))
    #expect(job.staticConfigs == [TargetGroup(addresses: ["localhost:9090"], labels: Labels(["app": "prometheus"]), source: "0")])
}

@Test func ignoredSettingsAreNoticed() throws {
    let config = try Fixtures.parse("full-good.yml")
    let notices = config.notices.map(\.description)
    #expect(notices.contains("full-good.yml:9:19: global.query_log_file: accepted and ignored: Pharos does not write a query log"))
    #expect(notices.contains { $0.hasPrefix("full-good.yml:30:7: remote_write[0].oauth2: not supported yet") })
    #expect(notices.contains { $0.contains("scrape_configs[2].consul_sd_configs: not supported yet: no targets will be discovered") })
    #expect(notices.count == 3)  // query log, oauth2, consul
    #expect(try Fixtures.parse("getting-started-good.yml").notices.isEmpty)
}
