import PharosCore
import Relabel

/// A `remote_write` endpoint (model only for now; the sender comes with RemoteWrite).
package struct RemoteWriteConfig: Sendable, Hashable {
    package struct QueueConfig: Sendable, Hashable {
        package var capacity = 10_000
        package var maxShards = 50
        package var minShards = 1
        package var maxSamplesPerSend = 2_000
        package var batchSendDeadline = PrometheusDuration(milliseconds: 5_000)
        package var minBackoff = PrometheusDuration(milliseconds: 30)
        package var maxBackoff = PrometheusDuration(milliseconds: 5_000)
        package var retryOnRateLimit = true
        package var sampleAgeLimit = PrometheusDuration(milliseconds: 0)
    }

    package struct MetadataConfig: Sendable, Hashable {
        package var send = true
        package var sendInterval = PrometheusDuration(milliseconds: 60_000)
        package var maxSamplesPerSend = 2_000
    }

    package var url: String
    package var name: String?
    package var remoteTimeout = PrometheusDuration(milliseconds: 30_000)
    package var headers: [String: String] = [:]
    package var writeRelabelConfigs: [RelabelConfig] = []
    package var sendExemplars = false
    package var sendNativeHistograms = false
    package var roundRobinDNS = false
    package var protobufMessage = "prometheus.WriteRequest"
    package var httpClient = HTTPClientConfig.remoteWriteDefaults
    package var queueConfig = QueueConfig()
    package var metadataConfig = MetadataConfig()
    /// Kept raw until modelled.
    package var sigv4: YAMLNode?
    package var azuread: YAMLNode?
    package var googleIAM: YAMLNode?

    package init(url: String) { self.url = url }
}

/// A `remote_read` endpoint (model only for now).
package struct RemoteReadConfig: Sendable, Hashable {
    package var url: String
    package var name: String?
    package var remoteTimeout = PrometheusDuration(milliseconds: 60_000)
    package var headers: [String: String] = [:]
    package var readRecent = false
    package var requiredMatchers: [String: String] = [:]
    package var filterExternalLabels = true
    /// Largest frame of a chunked (streamed) read response, in bytes.
    package var chunkedReadLimit: UInt64 = 50 << 20
    package var httpClient = HTTPClientConfig()

    package init(url: String) { self.url = url }
}

/// Headers Prometheus sets itself and refuses to take from the config.
private let reservedHeaders: Set<String> = [
    "authorization", "host", "content-encoding", "content-length", "content-type", "user-agent", "connection",
    "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate", "retry-after",
    "x-prometheus-remote-write-version", "x-prometheus-remote-read-version",
]

extension ConfigCursor {
    fileprivate func url(_ fields: MappingReader, section: String) throws(ConfigError) -> String {
        guard let node = fields.take("url"), case let url = try node.string(), !url.isEmpty else {
            throw fail(.invalidConfig, "url for \(section) is empty")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw fields.take("url")!.fail("unsupported scheme in url \(goQuote(url)) (use http or https)")
        }
        return url
    }

    fileprivate func headers(_ fields: MappingReader) throws(ConfigError) -> [String: String] {
        guard let node = fields.take("headers") else { return [:] }
        let headers = try node.stringMap()
        for name in headers.keys.sorted() where reservedHeaders.contains(name.lowercased()) {
            throw node.fail(.invalidConfig, "\(name) is a reserved header. It must not be changed")
        }
        return headers
    }

    func remoteWriteConfig(_ validation: LabelNameValidationScheme) throws(ConfigError) -> RemoteWriteConfig {
        let fields = try mapping("remote_write")
        var config = RemoteWriteConfig(url: try url(fields, section: "remote_write"))
        config.name = try fields.string("name")
        config.remoteTimeout = try fields.duration("remote_timeout") ?? config.remoteTimeout
        config.headers = try headers(fields)
        config.writeRelabelConfigs = try fields.take("write_relabel_configs")?.relabelConfigs(validation) ?? []
        config.sendExemplars = try fields.bool("send_exemplars") ?? false
        config.sendNativeHistograms = try fields.bool("send_native_histograms") ?? false
        config.roundRobinDNS = try fields.bool("round_robin_dns") ?? false
        if let node = fields.take("protobuf_message") {
            config.protobufMessage = try node.string()
            guard ["prometheus.WriteRequest", "io.prometheus.write.v2.Request"].contains(config.protobufMessage) else {
                throw node.fail("unknown remote write protobuf message \(config.protobufMessage), supported: prometheus.WriteRequest, io.prometheus.write.v2.Request")
            }
        }
        if let node = fields.take("queue_config") {
            let queue = try node.mapping("queue_config")
            var q = config.queueConfig
            q.capacity = try queue.int("capacity") ?? q.capacity
            q.maxShards = try queue.int("max_shards") ?? q.maxShards
            q.minShards = try queue.int("min_shards") ?? q.minShards
            q.maxSamplesPerSend = try queue.int("max_samples_per_send") ?? q.maxSamplesPerSend
            q.batchSendDeadline = try queue.duration("batch_send_deadline") ?? q.batchSendDeadline
            q.minBackoff = try queue.duration("min_backoff") ?? q.minBackoff
            q.maxBackoff = try queue.duration("max_backoff") ?? q.maxBackoff
            q.retryOnRateLimit = try queue.bool("retry_on_http_429") ?? q.retryOnRateLimit
            q.sampleAgeLimit = try queue.duration("sample_age_limit") ?? q.sampleAgeLimit
            try queue.finish()
            config.queueConfig = q
        }
        if let node = fields.take("metadata_config") {
            let meta = try node.mapping("metadata_config")
            config.metadataConfig.send = try meta.bool("send") ?? true
            config.metadataConfig.sendInterval = try meta.duration("send_interval") ?? config.metadataConfig.sendInterval
            config.metadataConfig.maxSamplesPerSend = try meta.int("max_samples_per_send") ?? config.metadataConfig.maxSamplesPerSend
            try meta.finish()
        }
        for (key, path) in [("sigv4", \RemoteWriteConfig.sigv4), ("azuread", \.azuread), ("google_iam", \.googleIAM)] {
            if let node = fields.take(key) {
                config[keyPath: path] = node.node
                node.note("not supported yet: requests will be sent without \(key) credentials")
            }
        }
        config.httpClient = try HTTPClientConfig.decode(from: fields, defaults: .remoteWriteDefaults)
        try fields.finish()
        let auth = [("basic_auth", config.httpClient.basicAuth != nil), ("authorization", config.httpClient.authorization != nil),
                    ("oauth2", config.httpClient.oauth2 != nil), ("sigv4", config.sigv4 != nil),
                    ("azuread", config.azuread != nil), ("google_iam", config.googleIAM != nil)].filter(\.1).map(\.0)
        if auth.count > 1 {
            throw fail(.invalidConfig, "at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured, got \(auth.joined(separator: ", "))")
        }
        return config
    }

    func remoteReadConfig() throws(ConfigError) -> RemoteReadConfig {
        let fields = try mapping("remote_read")
        var config = RemoteReadConfig(url: try url(fields, section: "remote_read"))
        config.name = try fields.string("name")
        config.remoteTimeout = try fields.duration("remote_timeout") ?? config.remoteTimeout
        config.headers = try headers(fields)
        config.readRecent = try fields.bool("read_recent") ?? false
        config.requiredMatchers = try fields.stringMap("required_matchers") ?? [:]
        config.filterExternalLabels = try fields.bool("filter_external_labels") ?? true
        config.chunkedReadLimit = try fields.uint64("chunked_read_limit") ?? config.chunkedReadLimit
        config.httpClient = try HTTPClientConfig.decode(from: fields)
        try fields.finish()
        return config
    }
}

/// The `storage:` section: only what Pharos' TSDB uses.
package struct StorageConfig: Sendable, Hashable {
    /// How far back out-of-order samples are accepted; zero disables them.
    package var outOfOrderTimeWindow = PrometheusDuration(milliseconds: 0)
    /// `storage.tsdb.retention.time`; nil leaves the command-line/default retention.
    package var retentionTime: PrometheusDuration?
    /// `storage.tsdb.retention.size`; nil leaves the default (no size limit).
    package var retentionSize: ByteSize?
    /// Exemplar buffer size; zero or less disables exemplar storage.
    package var maxExemplars = 100_000

    package init() {}

    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> StorageConfig {
        var storage = StorageConfig()
        let fields = try cursor.mapping("storage")
        if let tsdb = fields.take("tsdb") {
            let tsdbFields = try tsdb.mapping("tsdb")
            if let node = tsdbFields.take("out_of_order_time_window") {
                storage.outOfOrderTimeWindow = try node.duration()
                if storage.outOfOrderTimeWindow.milliseconds < 0 { throw node.fail("out_of_order_time_window cannot be negative") }
            }
            if let retention = tsdbFields.take("retention") {
                let retentionFields = try retention.mapping("tsdb_retention")
                storage.retentionTime = try retentionFields.duration("time")
                if let size = retentionFields.take("size") { storage.retentionSize = try size.byteSize() }
                try retentionFields.finish()
            }
            try tsdbFields.finish()
        }
        if let exemplars = fields.take("exemplars") {
            let exemplarFields = try exemplars.mapping("exemplars")
            storage.maxExemplars = try exemplarFields.int("max_exemplars") ?? storage.maxExemplars
            try exemplarFields.finish()
        }
        try fields.finish()
        return storage
    }
}
