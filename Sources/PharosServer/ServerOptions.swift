import Logging
import PharosCore
import PromQL

/// Everything `pharos serve` is told on the command line, validated. Plain value.
package struct ServerOptions: Sendable {
    /// `--config.file`; nil runs the embedded default.
    package var configFile: String?
    /// `--storage.tsdb.path`.
    package var storagePath = "./data"
    /// `--storage.tsdb.retention.time`.
    package var retentionTime = PrometheusDuration(milliseconds: 15 * 86_400_000)
    /// `--storage.tsdb.retention.size` in bytes; 0 is no limit.
    package var retentionSizeBytes: Int64 = 0
    /// `--storage.tsdb.min-block-duration` (hidden, as in Prometheus): width of a head-compacted
    /// block and of a head chunk's window.
    package var minBlockDuration = PrometheusDuration(milliseconds: 2 * 3_600_000)
    /// `--storage.tsdb.max-block-duration` (hidden): largest compacted block; nil is the TSDB default.
    package var maxBlockDuration: PrometheusDuration?
    /// `--storage.tsdb.wal-compression` (default on, as in Prometheus): snappy WAL records.
    package var walCompression = true
    /// `--web.listen-address`.
    package var listenHost = "127.0.0.1"
    package var listenPort = 9090
    /// `--web.enable-remote-write-receiver`: accepted for compatibility; the receiver is always on.
    package var enableRemoteWriteReceiver = false
    /// `--web.enable-admin-api` (default off, as in Prometheus): the TSDB admin endpoints
    /// (snapshot, delete_series, clean_tombstones) work only when set.
    package var enableAdminAPI = false
    /// `--query.lookback-delta`, `--query.max-samples` and `--query.timeout`.
    package var query = EngineOptions()
    /// `--web.external-url`: alert generator URLs and `$externalURL`; nil is `http://<hostname>:<port>`.
    package var externalURL: String?
    /// `--rules.alert.resend-delay` (1m), `--rules.alert.for-outage-tolerance` (1h),
    /// `--rules.alert.for-grace-period` (10m), as Prometheus.
    package var ruleResendDelay = PrometheusDuration(milliseconds: 60_000)
    package var ruleOutageTolerance = PrometheusDuration(milliseconds: 3_600_000)
    package var ruleForGracePeriod = PrometheusDuration(milliseconds: 600_000)
    /// `--alertmanager.notification-queue-capacity`: alerts queued for `alerting:` Alertmanagers.
    package var notificationQueueCapacity = 10_000
    /// `--alertmanager.history-retention`: how long the alert history is kept (30d).
    package var alertHistoryRetention: Double = 30 * 86_400
    package var logLevel: Logger.Level = .info
    package var logFormat: LogFormat = .logfmt
    /// The flags as given (name without dashes → value), for `/api/v1/status/flags`.
    package var flags: [String: String] = [:]

    package init() {}

    /// Parses `host:port`, `[v6]:port` or `:port` (all interfaces).
    package static func parseListenAddress(_ text: String) throws(ServerError) -> (host: String, port: Int) {
        func fail(_ why: String) -> ServerError {
            ServerError(.invalidFlag, "--web.listen-address", "cannot parse \"\(text)\" as host:port: \(why)")
        }
        guard let colon = text.lastIndex(of: ":") else { throw fail("missing port") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65_535).contains(port) else { throw fail("invalid port \"\(portText)\"") }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { throw fail("unclosed \"[\"") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw fail("IPv6 hosts need brackets")
        }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Parses Prometheus' byte sizes: an integer with an optional unit B, KB, MB, GB, TB, PB, EB
    /// (powers of 1024), e.g. `512MB`. "" and "0" mean no limit.
    package static func parseByteSize(_ text: String) throws(ServerError) -> Int64 {
        if text.isEmpty { return 0 }
        let units: [(String, Int64)] = [("EB", 1 << 60), ("PB", 1 << 50), ("TB", 1 << 40), ("GB", 1 << 30),
                                        ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        let upper = text.uppercased()
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let count = Int64(upper.dropLast(suffix.count)), count >= 0 else { break }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: factor)
            guard !overflow else { break }
            return bytes
        }
        if let bytes = Int64(text), bytes >= 0 { return bytes }
        throw ServerError(.invalidFlag, "--storage.tsdb.retention.size",
                          "cannot parse \"\(text)\": want an integer with a unit B, KB, MB, GB, TB, PB or EB")
    }
}
