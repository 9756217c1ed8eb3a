import Alerting
import Foundation
import HostMetrics
import Hummingbird
import Logging
import NIOCore
import PharosConfig
import PharosCore
import PharosHTTP
import ServiceLifecycle
import UnixSignals
import Uptime

/// The composition root: builds every component from the options, orders them in a
/// `ServiceGroup`, and runs until SIGTERM/SIGINT, then shuts down in reverse order.
///
/// Storage, the PromQL engine and selector parsing are injected (`standard(…)` wires `TSDB`,
/// `PromQL.Engine` and `PromQLParser.parseMetricSelector`); a server built without them answers
/// the query API with 503. `services` run before the HTTP application in the group, so the HTTP
/// server stops first on shutdown and storage flushes last.
package struct PharosServer: Sendable {
    package var options: ServerOptions
    package var logger: Logger
    package let metrics: ServerMetrics
    package let gate: ReadinessGate
    /// Set when the HTTP server listens.
    package let boundPort = BoundPort()
    package var storage: (any Queryable)?
    package var engine: (any PromQLQuerying)?
    package var parseSelector: SelectorParser?
    /// Exemplars for `/api/v1/query_exemplars`, and the PromQL selector extraction it needs.
    package var exemplarStorage: (any ExemplarQueryable)?
    package var extractSelectors: SelectorExtractor?
    /// Long-lived components (TSDB first), in start order.
    package var services: [any Service] = []
    /// Mark the gate ready as soon as the HTTP server listens (true while nothing else, such as
    /// WAL replay, owns readiness).
    package var readyWhenListening = true
    /// Remote write, Pushgateway and federation routes, when the server ingests.
    package var ingest: IngestEndpoints?
    /// The config `standard` loaded at start-up; `makeServiceGroup` loads the file when nil.
    package var loadedConfig: (config: PharosConfig, yaml: String)?
    /// SIGHUP and `POST /-/reload`; when nil the config is fixed for the process' life.
    package var reloader: ConfigReloader?
    /// Rule groups and alerts for `/api/v1/rules` and `/api/v1/alerts`.
    package var rules: (any RulesProviding)?
    /// The notifier's Alertmanagers for `/api/v1/alertmanagers`.
    package var alertmanagerTargets: (any AlertmanagersProviding)?
    /// Scrape targets for `/api/v1/targets`.
    package var targets: (any TargetsProviding)?
    /// Scraped metadata for `/api/v1/metadata` and `/api/v1/targets/metadata`.
    package var metadata: (any MetadataProviding)?
    /// Head statistics for `/api/v1/status/tsdb`.
    package var tsdbStatus: (any TSDBStatusProviding)?
    /// The TSDB admin endpoints' storage side; nil keeps them disabled.
    package var admin: (any TSDBAdministering)?
    /// Live WAL replay progress for `/api/v1/status/walreplay`.
    package var walReplay: (any WALReplayStatusProviding)?
    /// The probes component for `/probe` (blackbox_exporter's endpoint).
    package var probes: (any ProbeHandling)?
    /// The built-in node exporter behind `GET /metrics/node`; nil leaves the route out.
    package var hostMetrics: NodeExporter?
    /// The embedded Alertmanager, when the config has `alertmanager:`; serves `/api/v2/…`.
    package var alertmanager: EmbeddedAlertmanager?
    /// `GET /api/pharos/v1/slos` (status and JSON body).
    package var sloStatus: (@Sendable () async -> (status: Int, body: [UInt8]))?
    /// The checks' uptime, for `GET /status` and `/api/pharos/v1/uptime`.
    package var uptime: (@Sendable () async -> [CheckUptime])?
    /// Signals that start a graceful shutdown (tests use none and trigger it themselves).
    package var shutdownSignals: [UnixSignal] = [.sigterm, .sigint]
    package static let version = "0.1.0-dev"

    package init(options: ServerOptions, logger: Logger = Logger(label: "pharos"),
                 metrics: ServerMetrics = ServerMetrics(version: PharosServer.version), gate: ReadinessGate = ReadinessGate()) {
        self.options = options
        self.logger = logger
        self.metrics = metrics
        self.gate = gate
    }

    /// Installs our log handler and the Prometheus metrics back end process-wide. Call once,
    /// from `main`, before creating the server; tests never call it.
    package static func bootstrapProcess(options: ServerOptions, metrics: ServerMetrics) {
        let level = options.logLevel
        let format = options.logFormat
        LoggingSystem.bootstrap { label in PharosLogHandler(label: label, level: level, format: format) }
        metrics.bootstrapMetricsSystem()
    }

    /// The embedded default, scraping this server at its bound port once it listens (the
    /// configured one before).
    package var defaultConfig: PharosConfig {
        PharosConfig.default(listenAddress: "\(options.listenHost):\(boundPort.current ?? options.listenPort)")
    }

    /// Reads and validates the config file (or takes the embedded default), records the
    /// outcome in the reload gauges and logs positioned notices for settings without effect.
    /// Returns the config and the YAML text served by `/api/v1/status/config` (the file with
    /// its secrets shown as `<secret>`, as Prometheus shows them).
    package func loadConfig() throws(ServerError) -> (config: PharosConfig, yaml: String) {
        let now = Double(wallClockMilliseconds()) / 1000
        guard let path = options.configFile else {
            metrics.recordConfigReload(success: true, atSeconds: now)
            return (defaultConfig, "")
        }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let config = try parseConfig(text, filename: path)
            for notice in config.notices {
                logger.warning("Config setting has no effect yet", metadata: ["config.notice": "\(notice)"])
            }
            metrics.recordConfigReload(success: true, atSeconds: now)
            let shown = (try? YAMLNode.parse(text, file: path))?.maskingSecrets().yamlText ?? ""
            return (config, shown)
        } catch let error as ConfigError {
            metrics.recordConfigReload(success: false, atSeconds: now)
            throw ServerError(.config, "", "\(error)")  // already `file:line:col: key: what`
        } catch {
            metrics.recordConfigReload(success: false, atSeconds: now)
            throw ServerError(.config, path, "cannot read the config file: \(error)")
        }
    }

    /// The HTTP application with every route; `onListening` receives the bound port.
    package func makeApplication(configYAML: String,
                                 onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let startTime = wallClockMilliseconds()
        let options = self.options
        let gate = self.gate
        let metrics = self.metrics
        var status = StatusInfo()
        status.build.version = Self.version
        status.build.goVersion = "swift"
        status.flags = options.flags
        let reloader = self.reloader
        status.configYAML = { reloader?.yaml ?? configYAML }
        status.runtime = {
            var runtime = StatusInfo.Runtime()
            runtime.startTime = startTime
            runtime.cwd = FileManager.default.currentDirectoryPath
            runtime.reloadConfigSuccess = reloader?.lastReloadSucceeded ?? true
            runtime.lastConfigTime = reloader?.lastReloadTime ?? startTime
            runtime.gomaxprocs = ProcessInfo.processInfo.activeProcessorCount
            runtime.storageRetention = options.retentionTime.description
            return runtime
        }
        let api = PrometheusAPI(engine: engine, storage: storage, parseSelector: parseSelector, status: status,
                                metadata: metadata, tsdbStatusProvider: tsdbStatus, admin: admin, walReplay: walReplay,
                                exemplarStorage: exemplarStorage, extractSelectors: extractSelectors)
        let router = PharosRouter(api: api, health: gate, metrics: { metrics.render() }).build()
        ingest?.add(to: router)
        if let alertmanager { Self.alertmanagerRoutes(alertmanager).add(to: router) }
        if let targets = self.targets {
            PharosRouter.refuseMethods(on: "/api/v1/targets", in: router, allowing: [.get])
            router.get("/api/v1/targets") { request, _ -> Response in
                var form = FormParameters()
                do {
                    try form.append(encoded: request.uri.query)
                    return Response(status: .ok, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: try await PrometheusAPI.targets(form, from: targets)))
                } catch {
                    throw error
                }
            }
        }
        if let rules = self.rules { PharosRouter.addRulesAPI(rules, to: router) }
        if let alertmanagerTargets { PharosRouter.addAlertmanagersAPI(alertmanagerTargets, to: router) }
        if let probes { PharosRouter.addProbeRoute(probes, to: router) }
        if let hostMetrics { Self.addHostMetricsRoute(hostMetrics, to: router) }
        if let uptime {
            router.get("/status") { _, _ -> Response in
                let page = StatusPage.html(await uptime(), now: wallClockMilliseconds())
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: page)))
            }
            router.get("/api/pharos/v1/uptime") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "application/json"],
                         body: .init(byteBuffer: ByteBuffer(bytes: StatusPage.json(await uptime(), now: wallClockMilliseconds()))))
            }
        }
        if let sloStatus {
            router.get("/api/pharos/v1/slos") { _, _ -> Response in
                let (status, body) = await sloStatus()
                return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
        if let reloader {
            for method in [HTTPRequest.Method.post, .put] {
                router.on("/-/reload", method: method) { _, _ -> Response in
                    do {
                        try await reloader.reload()
                        return Response(status: .ok)
                    } catch {
                        return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                                        body: .init(byteBuffer: ByteBuffer(string: "failed to reload config: \(error)\n")))
                    }
                }
            }
        }
        let readyWhenListening = self.readyWhenListening
        let logger = self.logger
        let boundPort = self.boundPort
        return Application(
            router: router,
            configuration: .init(address: .hostname(options.listenHost, port: options.listenPort), serverName: "Pharos"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.listenPort
                boundPort.set(port)
                logger.info("Server is listening", metadata: ["http.address": "\(options.listenHost):\(port)"])
                if readyWhenListening {
                    gate.markReady()
                    logger.info("Server is ready to receive web requests.")
                }
                await onListening(port)
            },
            logger: logger
        )
    }

    /// The group of `services` then the HTTP application; shutdown runs in reverse.
    package func makeServiceGroup(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws(ServerError) -> ServiceGroup {
        let configYAML: String
        if let loadedConfig { configYAML = loadedConfig.yaml } else { configYAML = try loadConfig().yaml }
        let application = makeApplication(configYAML: configYAML, onListening: onListening)
        return ServiceGroup(configuration: .init(
            services: services + (reloader.map { [$0] } ?? []) + [application], gracefulShutdownSignals: shutdownSignals, logger: logger))
    }

    /// Runs every service and the HTTP server until a shutdown signal (or cancellation).
    package func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = try makeServiceGroup(onListening: onListening)
        logger.info("Starting Pharos", metadata: ["version": "\(Self.version)", "storage.path": "\(options.storagePath)"])
        try await group.run()
        logger.info("See you next time!")
    }
}
