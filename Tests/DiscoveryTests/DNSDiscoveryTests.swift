@testable import Discovery
import Foundation
import MetricsTestKit
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

/// A real dnsmasq on 127.0.0.1 at a free port, authoritative for `example.test`.
struct DNSMasq {
    let process: PeerProcess
    let port: Int

    static func start(folder: String, _ records: [String]) async throws -> DNSMasq {
        let port = try Peers.freePort()
        let process = try PeerProcess(Peers.dnsmasq, [
            "--no-daemon", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
            "--edns-packet-max=512", "--auth-zone=example.test", "--auth-server=ns1.example.test,127.0.0.1",
        ] + records, logPath: folder + "/dnsmasq.log")
        try await process.waitForLog(containing: "cleared cache", timeout: .seconds(20))
        return DNSMasq(process: process, port: port)
    }

    var resolver: ResolvConf { ResolvConf(servers: [ResolvConf.Server(host: "127.0.0.1", port: port)]) }

    /// SIGKILL by pid: the child inherits the test process' blocked signal mask, so SIGTERM
    /// would only time out.
    func stop() { process.kill9() }
}

@Suite(.serialized, .timeLimit(.minutes(3))) struct DNSDiscoveryTests {
    static let records = [
        "--srv-host=_api._tcp.example.test,node1.example.test,9100,0,10",
        "--srv-host=_api._tcp.example.test,node2.example.test,9200,0,20",
        "--host-record=node1.example.test,10.1.1.1,fd00::1",
        "--host-record=node2.example.test,10.1.1.2",
        "--mx-host=example.test,mail.example.test,10",
    ] + (1...40).map { "--host-record=big.example.test,10.0.0.\($0)" }

    static func discover(_ config: DNSSDConfig, _ server: DNSMasq, _ metrics: TestMetrics = TestMetrics()) async -> [TargetGroup] {
        await DNSDiscoverer(config: config, context: testContext(metrics, dnsResolver: server.resolver)).refresh()
    }

    @Test func everyRecordTypeWithPrometheusMetaLabels() async throws {
        try await withTemporaryDirectory { folder in
            let server = try await DNSMasq.start(folder: folder, Self.records)
            defer { server.stop() }
            let metrics = TestMetrics()
            let srv = await Self.discover(DNSSDConfig(names: ["_api._tcp.example.test"]), server, metrics)
            #expect(srv.map(\.source) == ["_api._tcp.example.test"])
            #expect(Set(srv.first?.targets ?? []) == [
                Labels(["__address__": "node1.example.test:9100", "__meta_dns_name": "_api._tcp.example.test",
                        "__meta_dns_srv_record_target": "node1.example.test.", "__meta_dns_srv_record_port": "9100"]),
                Labels(["__address__": "node2.example.test:9200", "__meta_dns_name": "_api._tcp.example.test",
                        "__meta_dns_srv_record_target": "node2.example.test.", "__meta_dns_srv_record_port": "9200"]),
            ])
            let a = await Self.discover(DNSSDConfig(names: ["node1.example.test"], type: .a, port: 9100), server)
            #expect(a.first?.targets == [Labels(["__address__": "10.1.1.1:9100", "__meta_dns_name": "node1.example.test"])])
            let aaaa = await Self.discover(DNSSDConfig(names: ["node1.example.test"], type: .aaaa, port: 9100), server)
            #expect(aaaa.first?.targets == [Labels(["__address__": "[fd00::1]:9100", "__meta_dns_name": "node1.example.test"])])
            let mx = await Self.discover(DNSSDConfig(names: ["example.test"], type: .mx, port: 25), server)
            #expect(mx.first?.targets == [Labels(["__address__": "mail.example.test:25", "__meta_dns_name": "example.test",
                                                  "__meta_dns_mx_record_target": "mail.example.test."])])
            let ns = await Self.discover(DNSSDConfig(names: ["example.test"], type: .ns, port: 53), server)
            #expect(ns.first?.targets == [Labels(["__address__": "ns1.example.test:53", "__meta_dns_name": "example.test",
                                                  "__meta_dns_ns_record_target": "ns1.example.test."])])
            // A truncated UDP answer (40 A records over a 512-byte limit) is asked again over TCP.
            let big = await Self.discover(DNSSDConfig(names: ["big.example.test"], type: .a, port: 1), server)
            #expect(big.first?.targets.count == 40)
            // A name that does not exist is an empty group (its targets go away), not a failure.
            let missing = await Self.discover(DNSSDConfig(names: ["nope.example.test"], type: .a, port: 1), server, metrics)
            #expect(missing == [TargetGroup(targets: [], source: "nope.example.test")])
            #expect(metrics.counterValue("prometheus_sd_dns_lookups_total") == 2)
            #expect(metrics.counterValue("prometheus_sd_dns_lookup_failures_total") == 0)
        }
    }

    @Test func aFailingServerKeepsThePreviousGroups() async throws {
        try await withTemporaryDirectory { folder in
            let server = try await DNSMasq.start(folder: folder, Self.records)
            let metrics = TestMetrics()
            let clock = ManualClock(nowMilliseconds: 0)
            var resolver = server.resolver
            resolver.timeout = .milliseconds(300)
            resolver.attempts = 1
            let discoverer = DNSDiscoverer(config: DNSSDConfig(names: ["node2.example.test"], type: .a, port: 80),
                                           context: testContext(metrics, clock: clock, dnsResolver: resolver))
            let collected = Collected()
            try await whileRunning(discoverer, into: collected) {
                #expect(await poll { collected.count == 1 })
                #expect(addresses(collected.merged) == ["10.1.1.2:80"])
                server.stop()
                await clock.waitForSleepers(1)
                clock.advance(byNanoseconds: 30_000_000_000)
                #expect(await poll { metrics.counterValue("prometheus_sd_dns_lookup_failures_total") == 1 })
                // The failed name sent nothing: its targets stay.
                #expect(await poll { collected.count == 2 })
                #expect(collected.all[1].isEmpty)
                #expect(addresses(collected.merged) == ["10.1.1.2:80"])
            }
            #expect(metrics.counterValue("prometheus_sd_dns_lookups_total") == 2)
        }
    }
}
