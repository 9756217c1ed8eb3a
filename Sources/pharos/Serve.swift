import ArgumentParser
import Logging
import PharosCore
import PharosServer
import PromQL

/// `pharos serve`: flags use Prometheus' names.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(name: .customLong("config.file"), help: "Configuration file path (none: embedded default).")
    var configFile: String?

    @Option(name: .customLong("storage.tsdb.path"), help: "Base path for metrics storage.")
    var storagePath = "./data"

    @Option(name: .customLong("storage.tsdb.retention.time"), help: "How long to retain samples in storage.")
    var retentionTime = "15d"

    @Option(name: .customLong("storage.tsdb.retention.size"), help: "Maximum bytes of storage blocks to retain (e.g. 512MB); 0 is no limit.")
    var retentionSize = "0"

    @Option(name: .customLong("storage.tsdb.min-block-duration"), help: .hidden)
    var minBlockDuration = "2h"

    @Option(name: .customLong("storage.tsdb.max-block-duration"), help: .hidden)
    var maxBlockDuration: String?

    @Flag(name: .customLong("storage.tsdb.wal-compression"), inversion: .prefixedNo, help: "Compress the tsdb WAL (snappy).")
    var walCompression = true

    @Option(name: .customLong("web.listen-address"), help: "Address to listen on for UI, API and telemetry.")
    var listenAddress = "127.0.0.1:9090"

    @Flag(name: .customLong("web.enable-remote-write-receiver"), inversion: .prefixedNo, help: "Accepted for Prometheus compatibility: the remote-write receiver is always on.")
    var enableRemoteWriteReceiver = false

    @Flag(name: .customLong("web.enable-admin-api"), inversion: .prefixedNo, help: "Enable API endpoints for admin control actions (TSDB snapshot, delete_series, clean_tombstones).")
    var enableAdminAPI = false

    @Option(name: .customLong("query.lookback-delta"), help: "How far back an instant selector looks for the latest sample.")
    var lookbackDelta = "5m"

    @Option(name: .customLong("query.max-samples"), help: "Most samples a single query may load into memory.")
    var maxSamples = 50_000_000

    @Option(name: .customLong("query.timeout"), help: "Longest a query may run before it is aborted.")
    var queryTimeout = "2m"

    @Option(name: .customLong("web.external-url"), help: "The URL under which Pharos is externally reachable (alert generator URLs).")
    var externalURL: String?

    @Option(name: .customLong("rules.alert.resend-delay"), help: "Minimum amount of time to wait before resending an alert to Alertmanager.")
    var resendDelay = "1m"

    @Option(name: .customLong("alertmanager.notification-queue-capacity"), help: "The capacity of the queue for pending Alertmanager notifications.")
    var notificationQueueCapacity = 10_000

    @Option(name: .customLong("alertmanager.history-retention"), help: "How long the embedded Alertmanager's alert history is kept.")
    var historyRetention = "30d"

    @Option(name: .customLong("rules.alert.for-outage-tolerance"), help: "Max time to tolerate prometheus outage for restoring \"for\" state of alert.")
    var outageTolerance = "1h"

    @Option(name: .customLong("rules.alert.for-grace-period"), help: "Minimum duration between alert and restored \"for\" state. This is maintained only for alerts with configured \"for\" time greater than grace period.")
    var forGracePeriod = "10m"

    @Option(name: .customLong("log.level"), help: "Only log messages with the given severity or above: debug, info, warn, error.")
    var logLevel = "info"

    @Option(name: .customLong("log.format"), help: "Output format of log messages: logfmt, json.")
    var logFormat = "logfmt"

    /// Validates every flag into `ServerOptions`; errors name the flag.
    func makeOptions() throws -> ServerOptions {
        var options = ServerOptions()
        options.configFile = configFile
        options.storagePath = storagePath
        options.walCompression = walCompression
        do {
            options.retentionTime = try PrometheusDuration(parsing: retentionTime)
        } catch {
            throw ServerError(.invalidFlag, "--storage.tsdb.retention.time", "\(error)")
        }
        do {
            options.minBlockDuration = try PrometheusDuration(parsing: minBlockDuration)
        } catch {
            throw ServerError(.invalidFlag, "--storage.tsdb.min-block-duration", "\(error)")
        }
        if let maxBlockDuration {
            do {
                options.maxBlockDuration = try PrometheusDuration(parsing: maxBlockDuration)
            } catch {
                throw ServerError(.invalidFlag, "--storage.tsdb.max-block-duration", "\(error)")
            }
        }
        options.retentionSizeBytes = try ServerOptions.parseByteSize(retentionSize == "0" ? "" : retentionSize)
        (options.listenHost, options.listenPort) = try ServerOptions.parseListenAddress(listenAddress)
        options.enableRemoteWriteReceiver = enableRemoteWriteReceiver
        options.enableAdminAPI = enableAdminAPI
        options.query.lookbackDelta = try Self.positiveDuration(lookbackDelta, flag: "--query.lookback-delta").milliseconds
        options.query.timeout = .milliseconds(try Self.positiveDuration(queryTimeout, flag: "--query.timeout").milliseconds)
        guard maxSamples > 0 else { throw ServerError(.invalidFlag, "--query.max-samples", "must be positive, not \(maxSamples)") }
        options.query.maxSamples = maxSamples
        options.externalURL = externalURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        options.ruleResendDelay = try Self.positiveDuration(resendDelay, flag: "--rules.alert.resend-delay")
        options.ruleOutageTolerance = try Self.positiveDuration(outageTolerance, flag: "--rules.alert.for-outage-tolerance")
        options.ruleForGracePeriod = try Self.positiveDuration(forGracePeriod, flag: "--rules.alert.for-grace-period")
        guard notificationQueueCapacity > 0 else {
            throw ServerError(.invalidFlag, "--alertmanager.notification-queue-capacity", "must be positive, not \(notificationQueueCapacity)")
        }
        options.notificationQueueCapacity = notificationQueueCapacity
        options.alertHistoryRetention = Double(try Self.positiveDuration(historyRetention, flag: "--alertmanager.history-retention").milliseconds) / 1000
        guard let level = Logger.Level(flag: logLevel) else {
            throw ServerError(.invalidFlag, "--log.level", "unknown level \"\(logLevel)\" (use debug, info, warn or error)")
        }
        options.logLevel = level
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ServerError(.invalidFlag, "--log.format", "unknown format \"\(logFormat)\" (use logfmt or json)")
        }
        options.logFormat = format
        options.flags = [
            "config.file": configFile ?? "", "storage.tsdb.path": storagePath,
            "storage.tsdb.retention.time": retentionTime, "storage.tsdb.retention.size": retentionSize,
            "storage.tsdb.min-block-duration": minBlockDuration,
            "storage.tsdb.max-block-duration": maxBlockDuration ?? "",
            "storage.tsdb.wal-compression": String(walCompression),
            "web.listen-address": listenAddress, "web.enable-remote-write-receiver": String(enableRemoteWriteReceiver),
            "web.enable-admin-api": String(enableAdminAPI),
            "query.lookback-delta": lookbackDelta, "query.max-samples": String(maxSamples), "query.timeout": queryTimeout,
            "log.level": logLevel, "log.format": logFormat, "web.external-url": externalURL ?? "",
            "rules.alert.resend-delay": resendDelay, "rules.alert.for-outage-tolerance": outageTolerance,
            "rules.alert.for-grace-period": forGracePeriod,
            "alertmanager.notification-queue-capacity": String(notificationQueueCapacity),
            "alertmanager.history-retention": historyRetention,
        ]
        return options
    }

    private static func positiveDuration(_ text: String, flag: String) throws -> PrometheusDuration {
        let duration: PrometheusDuration
        do {
            duration = try PrometheusDuration(parsing: text)
        } catch {
            throw ServerError(.invalidFlag, flag, "\(error)")
        }
        guard duration.milliseconds > 0 else { throw ServerError(.invalidFlag, flag, "must be positive, not \(text)") }
        return duration
    }

    func run() async throws {
        let options = try makeOptions()
        let metrics = ServerMetrics(version: PharosServer.version)
        PharosServer.bootstrapProcess(options: options, metrics: metrics)
        let server = try PharosServer.standard(options: options, logger: Logger(label: "pharos"), metrics: metrics)
        try await server.run()
    }
}
