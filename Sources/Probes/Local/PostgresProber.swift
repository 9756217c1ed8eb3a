import Logging
import NIOCore
import NIOSSL
import PharosCore
import PostgresNIO
import Synchronization

/// Pharos' postgres prober: connect (password auth, optional TLS) and run the module's query
/// through postgres-nio; the target is `host:port` (port 5432 when absent).
struct PostgresProber: Prober {
    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry, log = context.log
        let config = module.postgres
        registry.gaugeVector("probe_postgres_duration_seconds", "Duration of the PostgreSQL probe by phase", labels: ["phase"])
        registry.gauge("probe_postgres_rows", "Rows returned by the probe query")
        var host = target, port = 5432
        if let split = splitHostPort(target) {
            host = split.host
            guard let number = Int(split.port) else { log.error("Error splitting target address and port", ["err": "bad port"]); return false }
            port = number
        }
        let ip: ResolvedIP
        do { (ip, _) = try await Resolver.choose(host, ipProtocol: "", fallback: true, context: context) } catch {
            log.error("Error resolving address", ["err": "\(error)"])
            return false
        }
        var tls: PostgresConnection.Configuration.TLS = .disable
        if config.tls {
            do {
                tls = .require(try ClientTLS(config.tlsConfig, defaultServerName: host).context)
            } catch {
                log.error("Error creating TLS configuration", ["err": "\(error)"])
                return false
            }
        }
        var configuration = PostgresConnection.Configuration(host: ip.description, port: port, username: config.username,
                                                             password: config.password, database: config.database, tls: tls)
        configuration.options.connectTimeout = .nanoseconds(Int64(max(0.001, seconds(context.remaining)) * 1e9))
        if Resolver.literal(host) == nil { configuration.options.tlsServerName = host }
        let start = ContinuousClock.now
        let holder = Mutex<PostgresConnection?>(nil)
        return await withTaskCancellationHandler {
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(on: context.eventLoopGroup.any(), configuration: configuration, id: 1,
                                                                  logger: Logger(label: "pharos.probes.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
            } catch {
                registry.set("probe_postgres_duration_seconds", seconds(ContinuousClock.now - start), labels: ["connect"])
                log.error("Error connecting to PostgreSQL", ["err": String(reflecting: error)])
                return false
            }
            holder.withLock { $0 = connection }
            let connected = ContinuousClock.now
            registry.set("probe_postgres_duration_seconds", seconds(connected - start), labels: ["connect"])
            log.info("Connected to PostgreSQL")
            // postgres-nio asserts in deinit that the connection was closed: close it before returning.
            let succeeded: Bool
            do {
                var rows = 0
                for try await _ in try await connection.query(PostgresQuery(unsafeSQL: config.query), logger: Logger(label: "pharos.probes.postgres", factory: { _ in SwiftLogNoOpLogHandler() })) {
                    rows += 1
                }
                registry.set("probe_postgres_duration_seconds", seconds(ContinuousClock.now - connected), labels: ["query"])
                registry.set("probe_postgres_rows", Double(rows))
                log.info("Query succeeded", ["query": config.query, "rows": "\(rows)"])
                succeeded = true
            } catch {
                registry.set("probe_postgres_duration_seconds", seconds(ContinuousClock.now - connected), labels: ["query"])
                log.error("Query failed", ["query": config.query, "err": String(reflecting: error)])
                succeeded = false
            }
            try? await connection.close()
            return succeeded
        } onCancel: {
            holder.withLock { $0 }?.close().whenComplete { _ in }
        }
    }
}
