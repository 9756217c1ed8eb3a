import AlertForwarding
import Alerting
import Discovery
import Foundation
import HostMetrics
import Logging
import PharosConfig
import PharosCore
import PharosHTTP
import PromQL
import PromQLParser
import Probes
import Push
import Rules
import Scrape
import TSDB

extension PharosServer {
    /// The server as `pharos serve` runs it: the config (file or embedded default), the TSDB
    /// under `options.storagePath` (ready once its WAL is replayed) with its exemplar ring sized by
    /// `storage.exemplars.max_exemplars` (resized on reload), the PromQL engine, selector parsing
    /// for `match[]` and `query_exemplars`, and the ingest routes (remote write, Pushgateway,
    /// federation). `replayProgress` follows the WAL replay (`/api/v1/status/walreplay` reads it).
    package static func standard(options: ServerOptions, logger: Logger, metrics: ServerMetrics,
                                 replayProgress: WALReplayProgress = WALReplayProgress()) throws(ServerError) -> PharosServer {
        var server = PharosServer(options: options, logger: logger, metrics: metrics)
        let loaded = try server.loadConfig()
        server.loadedConfig = loaded
        try validateRuleFiles(of: loaded.config)
        _ = try sloRuleFiles(loaded.config)
        let readinessNames = try readinessCheckNames(loaded.config)
        do {
            try FileManager.default.createDirectory(atPath: options.storagePath, withIntermediateDirectories: true)
        } catch {
            throw ServerError(.startup, options.storagePath, "cannot create the data folder: \(error)")
        }

        var tsdbOptions = TSDBOptions()
        tsdbOptions.retentionTime = options.retentionTime.milliseconds > 0 ? options.retentionTime : nil
        tsdbOptions.retentionSize = options.retentionSizeBytes > 0 ? options.retentionSizeBytes : nil
        tsdbOptions.blockRange = options.minBlockDuration.milliseconds
        tsdbOptions.maxBlockDuration = options.maxBlockDuration?.milliseconds
        tsdbOptions.walCompression = options.walCompression
        tsdbOptions.maxExemplars = max(loaded.config.storage.maxExemplars, 0)
        let storage = OpenedStorage()
        let tsdbMetrics = TSDBMetrics(registry: metrics.registry, storage: storage)
        metrics.addRefresher { tsdbMetrics.refresh() }
        let parseSelector: SelectorParser = { text in try parseMetricSelector(text) }
        let engine = Engine(options: options.query)
        server.storage = storage
        server.engine = engine
        server.parseSelector = parseSelector
        server.exemplarStorage = storage
        server.extractSelectors = { text in try parseExpr(text).selectors }
        server.readyWhenListening = false

        let gate = server.gate
        gate.setReadinessChecks { await readinessResults(readinessNames, engine: engine, storage: storage) }
        let isReady: @Sendable () -> Bool = { gate.isReady }
        let pushStore: GroupStore
        do {
            pushStore = try GroupStore(persistence: FileGroupPersistence(dataDirectory: options.storagePath))
        } catch {
            throw ServerError(.startup, options.storagePath + "/pushgateway.json", "\(error)")
        }
        let pushIngester = PushIngester(store: pushStore, appendable: storage, logger: logger)
        var ingest = IngestEndpoints(
            remoteWrite: RemoteWriteReceiver(appendable: storage, isReady: isReady, now: wallClockMilliseconds),
            federation: Federation(storage: storage, parseSelector: parseSelector,
                                   externalLabels: loaded.config.global.externalLabels, now: wallClockMilliseconds),
            pushgateway: Pushgateway(store: pushStore, ingester: pushIngester, logger: logger, now: wallClockMilliseconds))
        ingest.pushReady = isReady
        server.ingest = ingest

        let scrapeManager = ScrapeManager(storage: storage, logger: logger,
                                          discoveryMetrics: DiscoveryMetrics(factory: metrics.makeFactory()))
        server.targets = ScrapeTargetsAdapter(manager: scrapeManager)
        server.metadata = ScrapeMetadataAdapter(manager: scrapeManager)
        server.tsdbStatus = TSDBStatusAdapter(storage: storage)
        server.hostMetrics = NodeExporter(logger: logger)
        server.walReplay = WALReplayStatusAdapter(progress: replayProgress)
        if options.enableAdminAPI { server.admin = TSDBAdminAdapter(storage: storage) }
        let alertmanager = try makeAlertmanager(config: loaded.config, options: options, metrics: metrics, logger: logger)
        server.alertmanager = alertmanager
        let forwarder = makeForwarder(alertmanager: alertmanager, options: options, metrics: metrics, logger: logger)
        server.alertmanagerTargets = ForwarderAlertmanagers(forwarder: forwarder)
        var ruleOptions = makeRuleOptions(options: options, engine: engine, storage: storage, metrics: metrics, logger: logger)
        ruleOptions.sink = ForwardingAlertSink(forwarder: forwarder)
        let ruleManager = RuleManager(options: ruleOptions)
        server.rules = RulesAdapter(manager: ruleManager)
        var tsdbService = TSDBService(directory: options.storagePath, options: tsdbOptions, storage: storage, gate: gate, logger: logger)
        tsdbService.replayProgress = replayProgress
        server.services = [
            tsdbService,
            AfterReadyService(gate: gate) { await pushIngester.run(clock: ContinuousClock(), now: wallClockMilliseconds) },
            RulesService(manager: ruleManager, gate: gate, initialConfig: loaded.config),
            ScrapeService(manager: scrapeManager, gate: gate) { [server] in
                guard options.configFile == nil, options.listenPort == 0 else { return loaded.config }
                _ = try await server.boundPort.wait()  // the default scrapes Pharos at its real port
                return server.defaultConfig
            },
        ]
        // After storage, before rules and scrape: they stop after them, flushing nothing half-sent.
        server.services.insert(NotifierService(forwarder: forwarder, initialConfig: loaded.config, logger: logger), at: 1)
        server.services.insert(alertmanager, at: 1)
        let (probeService, checkScheduler) = try makeProbes(config: loaded.config, appendable: storage, logger: logger)
        server.probes = ProbeHandlingAdapter(service: probeService)
        server.services.append(AfterReadyService(gate: gate) { await checkScheduler.run() })
        let loader = server
        let appliers = [
            // First, as Prometheus' db.ApplyConfig: resizing keeps the newest exemplars.
            ConfigApplier(name: "storage") { config in storage.setMaxExemplars(config.storage.maxExemplars) },
            ConfigApplier(name: "scrape") { config in try await scrapeManager.apply(config) },
            // Adding, changing or removing `alertmanager:` takes effect on reload.
            ConfigApplier(name: "alertmanager") { config in try applyAlertmanager(config, to: alertmanager) },
            ConfigApplier(name: "notify") { config in try await applyNotifier(config, to: forwarder) },
            ConfigApplier(name: "rules") { config in try await ruleManager.apply(config, generated: try sloRuleFiles(config)) },
            ConfigApplier(name: "probes") { config in try applyProbes(config, to: probeService, scheduler: checkScheduler) },
            ConfigApplier(name: "health") { config in
                let names = try readinessCheckNames(config)
                gate.setReadinessChecks { await readinessResults(names, engine: engine, storage: storage) }
            },
        ]
        let reloader = ConfigReloader(initial: loaded, appliers: appliers, logger: logger) { () throws(ServerError) in
            try loader.loadConfig()
        }
        server.reloader = reloader
        let sloQuerying = EngineQuerying(engine: engine, storage: storage)
        server.sloStatus = { await sloStatusBody(config: reloader.config, querying: sloQuerying) }
        server.uptime = { await checkUptimes(engine: engine, storage: storage, alertmanager: alertmanager) }
        return server
    }
}

extension PharosServer {
    /// The rule manager's seams: the local engine over the TSDB, the TSDB appender, no alert
    /// destination yet (Notify will implement `AlertSink`), text-only templates until the
    /// Templating module is wired in.
    static func makeRuleOptions(options: ServerOptions, engine: Engine, storage: OpenedStorage, metrics: ServerMetrics,
                                logger: Logger) -> RuleGroupOptions {
        var ruleOptions = RuleGroupOptions(querying: EngineQuerying(engine: engine, storage: storage), appendable: storage,
                                           queryable: storage, metrics: RuleMetrics(factory: metrics.makeFactory()),
                                           logger: logger, now: wallClockMilliseconds)
        ruleOptions.externalURL = options.externalURL ?? "http://\(ProcessInfo.processInfo.hostName):\(options.listenPort)"
        ruleOptions.resendDelay = options.ruleResendDelay.milliseconds
        ruleOptions.outageTolerance = options.ruleOutageTolerance.milliseconds
        ruleOptions.forGracePeriod = options.ruleForGracePeriod.milliseconds
        return ruleOptions
    }

    /// Prometheus refuses to start with a rule file that does not load; so does Pharos.
    static func validateRuleFiles(of config: PharosConfig) throws(ServerError) {
        let parser = RuleFileParser()
        for pattern in config.ruleFiles {
            for file in Glob.paths(matching: pattern) {
                do {
                    _ = try parser.load(path: file)
                } catch {
                    throw ServerError(.config, "", "error loading rules: \(error)")
                }
            }
        }
    }
}
