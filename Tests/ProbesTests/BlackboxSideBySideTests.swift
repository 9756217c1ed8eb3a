import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTestSupport
import Hummingbird
import PharosConfig
import PharosTestSupport
@testable import Probes
import Testing

/// blackbox_exporter 0.23 and Pharos probe the same local targets with the same modules; the
/// metric families agree in names, help, types and label sets, and in every deterministic value.
/// The probes tests that start peers, one at a time: Foundation's `Process` can miss a child's
/// exit when several peers stop at once, and `waitUntilExit` then never returns.
@Suite(.serialized) struct ProbesLiveTests {}

extension ProbesLiveTests {
@Suite(.timeLimit(.minutes(5))) struct BlackboxSideBySideTests {
    static let blackbox = "/usr/bin/prometheus-blackbox-exporter"

    static func modules(caFile: String, dnsPort: Int) -> String {
        """
        modules:
          http_2xx:
            prober: http
            timeout: 5s
          http_no_redirects:
            prober: http
            timeout: 5s
            http:
              follow_redirects: false
          http_body_regex:
            prober: http
            timeout: 5s
            http:
              fail_if_body_matches_regexp: ["hello"]
          http_body_must:
            prober: http
            timeout: 5s
            http:
              fail_if_body_not_matches_regexp: ["pharos"]
              fail_if_header_not_matches:
                - header: Content-Type
                  regexp: "text/.*"
          http_404:
            prober: http
            timeout: 5s
            http:
              valid_status_codes: [404]
              method: POST
              body: "ping"
          https_ca:
            prober: http
            timeout: 5s
            http:
              fail_if_not_ssl: true
              tls_config:
                ca_file: \(caFile)
          https_insecure:
            prober: http
            timeout: 5s
            http:
              tls_config:
                insecure_skip_verify: true
          tcp_banner:
            prober: tcp
            timeout: 5s
            tcp:
              query_response:
                - send: "GET / HTTP/1.0\\r\\n\\r"
                - expect: "^HTTP/1\\\\.[01] 200"
          dns_a:
            prober: dns
            timeout: 5s
            dns:
              query_name: node1.example.test
              query_type: A
              transport_protocol: udp
              validate_answer_rrs:
                fail_if_not_matches_regexp: ["node1.example.test.\\t.*\\tIN\\tA\\t10.1.1.1"]
          dns_mx_tcp:
            prober: dns
            timeout: 5s
            dns:
              query_name: example.test
              query_type: MX
              transport_protocol: tcp
          dns_nx:
            prober: dns
            timeout: 5s
            dns:
              query_name: missing.example.test
              query_type: A
              valid_rcodes: [NOERROR]
              validate_answer_rrs:
                fail_if_none_matches_regexp: ["10\\\\.9\\\\.9\\\\.9"]
        """
    }

    /// Values that differ run to run (timings) or by design are left out of the value check.
    static let timingFamilies: Set<String> = [
        "probe_duration_seconds", "probe_http_duration_seconds", "probe_dns_lookup_time_seconds", "probe_dns_duration_seconds",
    ]

    static func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "hello pharos\n")))
        }
        router.get("/redirect") { _, _ in Response(status: .found, headers: [.location: "/"]) }
        router.post("/missing") { _, _ in Response(status: .notFound, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "nope"))) }
        return router
    }

    static func fetch(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func sameFamiliesAndValuesAsBlackbox() async throws {
        try await withTemporaryDirectory { folder in
            let certificates = try TestCertificates(folder: folder)
            let dns = try await DNSMasqPeer.start(folder: folder)
            defer { dns.stop() }
            let yaml = Self.modules(caFile: certificates.caFile, dnsPort: dns.port)
            try yaml.write(toFile: folder + "/blackbox.yml", atomically: true, encoding: .utf8)
            let port = try Peers.freePort()
            let exporter = try SpawnedPeer(Self.blackbox, ["--config.file=\(folder)/blackbox.yml", "--web.listen-address=127.0.0.1:\(port)"],
                                           logPath: folder + "/blackbox.log")
            defer { exporter.stop() }
            try await exporter.waitForLog(containing: "Listening on")
            let service = ProbeService(config: try ProbesConfig.decode(ConfigCursor(
                root: try YAMLNode.parse("config_file: \(folder)/blackbox.yml", file: "pharos.yml"), file: "pharos.yml", directory: folder)))
            try await withTestHTTPServer(Self.router()) { http in
                try await withTestHTTPServer(Self.router(), tls: try certificates.serverConfiguration()) { https in
                    let cases: [(String, String)] = [
                        ("http_2xx", "http://127.0.0.1:\(http)/"),
                        ("http_2xx", "http://127.0.0.1:\(http)/redirect"),
                        ("http_no_redirects", "http://127.0.0.1:\(http)/redirect"),
                        ("http_body_regex", "http://127.0.0.1:\(http)/"),
                        ("http_body_must", "127.0.0.1:\(http)"),
                        ("http_404", "http://127.0.0.1:\(http)/missing"),
                        ("http_2xx", "http://127.0.0.1:1/"),
                        ("https_ca", "https://127.0.0.1:\(https)/redirect"),
                        ("https_insecure", "https://127.0.0.1:\(https)/"),
                        ("tcp_banner", "127.0.0.1:\(http)"),
                        ("dns_a", "127.0.0.1:\(dns.port)"),
                        ("dns_mx_tcp", "127.0.0.1:\(dns.port)"),
                        ("dns_nx", "127.0.0.1:\(dns.port)"),
                    ]
                    var checked: Set<String> = []
                    for (module, target) in cases {
                        let query = "module=\(module)&target=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                        let theirs = ExpositionFamilies(try await Self.fetch("http://127.0.0.1:\(port)/probe?\(query)"))
                        let answer = await service.handle(module: module, target: target, debug: false, scrapeTimeout: nil)
                        #expect(answer.status == 200)
                        let ours = ExpositionFamilies(answer.body)
                        #expect(ours.shape == theirs.shape, "\(module) \(target): shapes differ\nours:\n\(ours)\ntheirs:\n\(theirs)")
                        for (name, family) in theirs.families where !Self.timingFamilies.contains(name) {
                            #expect(ours.families[name]?.samples == family.samples, "\(module) \(target): \(name): ours \(String(describing: ours.families[name]?.samples)), theirs \(family.samples)")
                        }
                        if ["http_2xx", "https_ca", "tcp_banner", "dns_a"].contains(module), checked.insert(module).inserted {
                            try answer.body.write(toFile: folder + "/probe.txt", atomically: true, encoding: .utf8)
                            let check = try spawnAndWait(Peers.promtool, ["check", "metrics"], stdinFile: folder + "/probe.txt")
                            #expect(check.status == 0, "promtool check metrics: \(check.output)")
                        }
                    }
                }
            }
        }
    }
}

}

/// dnsmasq on 127.0.0.1 at a free port, authoritative for `example.test`.
struct DNSMasqPeer {
    let process: SpawnedPeer
    let port: Int

    static func start(folder: String) async throws -> DNSMasqPeer {
        let port = try Peers.freePort()
        let process = try SpawnedPeer(Peers.dnsmasq, [
            "--no-daemon", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
            "--auth-zone=example.test", "--auth-server=ns1.example.test,127.0.0.1",
            "--host-record=node1.example.test,10.1.1.1", "--mx-host=example.test,mail.example.test,10",
            "--txt-record=example.test,\"v=spf1 -all\"",
        ], logPath: folder + "/dnsmasq.log")
        try await process.waitForLog(containing: "cleared cache", timeout: .seconds(20))
        return DNSMasqPeer(process: process, port: port)
    }

    func stop() { process.stop() }
}
