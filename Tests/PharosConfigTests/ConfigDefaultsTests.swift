import PharosConfig
import PharosCore
import Testing

@Test func externalLabelsExpandEnvironment() throws {
    let config = try parseConfig("""
        global:
          external_labels:
            region: ${REGION}
            host: $HOST-x
            cost: $$5
            gone: $UNSET
        """, filename: "e.yml", environment: ["REGION": "eu-1", "HOST": "h1"])
    #expect(config.global.externalLabels == Labels(["region": "eu-1", "host": "h1-x", "cost": "$5"]))
}

@Test func nativeHistogramsPreferProtobuf() throws {
    let config = try parseConfig("""
        scrape_configs:
          - job_name: native
            scrape_native_histograms: true
          - job_name: classic
        """, filename: "n.yml")
    #expect(config.scrapeConfigs[0].scrapeProtocols == ScrapeProtocol.protoFirst)
    #expect(config.scrapeConfigs[1].scrapeProtocols == ScrapeProtocol.defaults)
    // An explicit global list wins over the native-histogram default.
    let explicit = try parseConfig("""
        global: {scrape_protocols: [PrometheusText0.0.4]}
        scrape_configs: [{job_name: native, scrape_native_histograms: true}]
        """, filename: "n.yml")
    #expect(explicit.scrapeConfigs[0].scrapeProtocols == [.prometheusText0_0_4])
}

@Test func escapingFollowsValidation() throws {
    let config = try parseConfig("""
        global: {metric_name_validation_scheme: legacy}
        scrape_configs:
          - job_name: inherits
          - job_name: utf8
            metric_name_validation_scheme: utf8
        """, filename: "v.yml")
    #expect(config.scrapeConfigs[0].metricNameValidationScheme == .legacy)
    #expect(config.scrapeConfigs[0].metricNameEscapingScheme == "underscores")
    #expect(config.scrapeConfigs[1].metricNameEscapingScheme == "allow-utf-8")
    #expect(try parseConfig("scrape_configs: [{job_name: a}]", filename: "d.yml").scrapeConfigs[0].metricNameEscapingScheme
        == "allow-utf-8")
}

@Test func storageSection() throws {
    let config = try parseConfig("""
        storage:
          tsdb:
            out_of_order_time_window: 10m
            retention: {time: 15d, size: 10GB}
          exemplars: {max_exemplars: 5}
        """, filename: "s.yml")
    #expect(config.storage.outOfOrderTimeWindow == PrometheusDuration(milliseconds: 600_000))
    #expect(config.storage.retentionTime == PrometheusDuration(milliseconds: 15 * 86_400_000))
    #expect(config.storage.retentionSize == ByteSize(bytes: 10 << 30))
    #expect(config.storage.maxExemplars == 5)
    #expect(PharosConfig().storage.maxExemplars == 100_000)
}

@Test func relabelingMayBuildAddressesFromURLs() throws {
    // With relabel rules, a URL-looking target is allowed (blackbox-style configs rely on it).
    let config = try parseConfig("""
        scrape_configs:
          - job_name: blackbox
            metrics_path: /probe
            params: {module: [http_2xx]}
            static_configs:
              - targets: [https://example.com/health]
            relabel_configs:
              - source_labels: [__address__]
                target_label: __param_target
              - target_label: __address__
                replacement: 127.0.0.1:9115
        """, filename: "b.yml")
    #expect(config.scrapeConfigs[0].staticConfigs[0].addresses == ["https://example.com/health"])
}

@Test func quotedScalarsStayStrings() throws {
    let config = try parseConfig("""
        scrape_configs:
          - job_name: "null"
            static_configs: [{targets: ['~:1'], labels: {a: "", b: ''}}]
        """, filename: "q.yml")
    #expect(config.scrapeConfigs[0].jobName == "null")
    #expect(config.scrapeConfigs[0].staticConfigs[0].addresses == ["~:1"])
    #expect(config.scrapeConfigs[0].staticConfigs[0].labels.isEmpty)
}

@Test func anchorsAliasesAndMergeKeys() throws {
    let config = try parseConfig("""
        scrape_configs:
          - &base
            job_name: base
            scrape_interval: 30s
            metrics_path: /m
          - <<: *base
            job_name: override
            metrics_path: /other
          - <<: [*base, {scheme: https, metrics_path: /ignored}]
            job_name: listed
        """, filename: "m.yml")
    #expect(config.scrapeConfigs.map(\.jobName) == ["base", "override", "listed"])
    #expect(config.scrapeConfigs.map(\.scrapeInterval.milliseconds) == [30_000, 30_000, 30_000])
    #expect(config.scrapeConfigs.map(\.metricsPath) == ["/m", "/other", "/m"])
    #expect(config.scrapeConfigs[2].scheme == "https")
}

@Test func mergeKeyNeedsMappings() {
    #expect {
        _ = try parseConfig("global:\n  <<: [1, 2]\n", filename: "m.yml")
    } throws: { error in
        (error as? ConfigError)?.description == "m.yml:2:8: a merge key (<<) takes a mapping or a list of mappings"
    }
}
