import Logging
import PharosConfig
import PharosCore

/// `dns_sd_configs` (Prometheus' `discovery/dns`): every `refresh_interval`, each name is
/// looked up at once; a name whose lookup succeeds sends one group (source = the name) with a
/// target per SRV/A/AAAA/MX/NS answer (CNAMEs skipped), a name whose lookup fails is logged
/// and keeps its previous group. Counts `prometheus_sd_dns_lookups_total` and
/// `prometheus_sd_dns_lookup_failures_total`.
package struct DNSDiscoverer: Discoverer {
    package static let nameLabel = "__meta_dns_name"
    package static let srvTargetLabel = "__meta_dns_srv_record_target"
    package static let srvPortLabel = "__meta_dns_srv_record_port"
    package static let mxTargetLabel = "__meta_dns_mx_record_target"
    package static let nsTargetLabel = "__meta_dns_ns_record_target"

    private let config: DNSSDConfig
    private let context: DiscovererContext

    package init(config: DNSSDConfig, context: DiscovererContext) {
        self.config = config
        self.context = context
    }

    package func run(_ updates: DiscoveryUpdates) async {
        let loop = RefreshLoop(mechanism: "dns", interval: .milliseconds(config.refreshInterval.milliseconds), context: context)
        await loop.run(updates) { () throws(DiscoveryError) in await self.refresh() }
    }

    /// One round over all names; never throws (failed names are left out).
    package func refresh() async -> [TargetGroup] {
        let resolver: DNSResolver
        do {
            resolver = DNSResolver(configuration: try context.dnsResolver ?? ResolvConf.load(), logger: context.logger)
        } catch {
            for _ in config.names {
                context.metrics.dnsLookup()
                context.metrics.dnsLookupFailure()
            }
            context.logger.error("Error refreshing DNS targets", metadata: ["error": "\(error)"])
            return []
        }
        let type = Self.recordType(config.type)
        return await withTaskGroup(of: (Int, TargetGroup?).self) { group in
            for (index, name) in config.names.enumerated() {
                group.addTask {
                    do {
                        let records = try await resolver.lookup(name, type: type)
                        self.context.metrics.dnsLookup()
                        return (index, self.group(name: name, records: records))
                    } catch {
                        self.context.metrics.dnsLookup()
                        self.context.metrics.dnsLookupFailure()
                        self.context.logger.error("Error refreshing DNS targets", metadata: ["dns.name": "\(name)", "error": "\(error)"])
                        return (index, nil)
                    }
                }
            }
            var results: [(Int, TargetGroup?)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.compactMap(\.1)
        }
    }

    /// The group of one name's answers.
    func group(name: String, records: [DNSRecord]) -> TargetGroup {
        var targets: [Labels] = []
        for record in records {
            var labels = [Label(name: Self.nameLabel, value: name)]
            let address: String
            switch record {
            case .srv(_, _, let port, let target):
                labels.append(Label(name: Self.srvTargetLabel, value: target))
                labels.append(Label(name: Self.srvPortLabel, value: String(port)))
                address = Self.joinHostPort(Self.trimDot(target), Int(port))
            case .mx(_, let exchange):
                labels.append(Label(name: Self.mxTargetLabel, value: exchange))
                address = Self.joinHostPort(Self.trimDot(exchange), config.port)
            case .ns(let server):
                labels.append(Label(name: Self.nsTargetLabel, value: server))
                address = Self.joinHostPort(Self.trimDot(server), config.port)
            case .a(let ip), .aaaa(let ip):
                address = Self.joinHostPort(ip, config.port)
            case .cname:
                continue
            case .other(let type):
                context.logger.warning("Invalid record", metadata: ["dns.name": "\(name)", "dns.type": "\(type)"])
                continue
            }
            labels.append(Label(name: TargetGroup.addressLabel, value: address))
            targets.append(Labels(labels))
        }
        return TargetGroup(targets: targets, source: name)
    }

    static func recordType(_ type: DNSSDConfig.RecordType) -> DNSRecordType {
        switch type {
        case .srv: .srv
        case .a: .a
        case .aaaa: .aaaa
        case .mx: .mx
        case .ns: .ns
        }
    }

    /// Go's `strings.TrimRight(name, ".")`.
    static func trimDot(_ name: String) -> String {
        var name = Substring(name)
        while name.hasSuffix(".") { name = name.dropLast() }
        return String(name)
    }

    /// Go's `net.JoinHostPort`: brackets around hosts containing a colon.
    static func joinHostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
