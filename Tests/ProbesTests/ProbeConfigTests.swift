import PharosCore
import Foundation
import PharosConfig
import PharosTestSupport
@testable import Probes
import Testing

/// blackbox.yml decoding: blackbox 0.23's defaults, and refusals naming file, line and key.
@Suite struct ProbeConfigTests {
    @Test func defaultsAsBlackbox() throws {
        let modules = try ProbesConfig.parseBlackbox("""
            modules:
              http_2xx:
                prober: http
              dns:
                prober: dns
                timeout: 1.5s
                dns: {query_name: example.com}
            """, file: "blackbox.yml")
        let http = try #require(modules.first { $0.0 == "http_2xx" }?.1)
        #expect(http.timeout.milliseconds == 0)
        #expect(http.http.ipProtocolFallback)
        #expect(http.http.client.followRedirects)
        let dns = try #require(modules.first { $0.0 == "dns" }?.1)
        #expect(dns.timeout.milliseconds == 1500)
        #expect(dns.dns.recursionDesired)
        #expect(dns.dns.validRcodes == nil)
    }

    @Test(arguments: [
        ("modules:\n  m:\n    prober: http\n    htp: {}\n", "blackbox.yml:4:5: modules.m.htp: field htp not found in type config.plain"),
        ("modules:\n  m:\n    prober: http\n    http:\n      valid_status_code: [200]\n",
         "blackbox.yml:5:7: modules.m.http.valid_status_code: field valid_status_code not found in type config.plain"),
        ("modules:\n  m:\n    prober: dns\n    dns: {query_type: A}\n", "blackbox.yml:4:10: modules.m.dns: query name must be set for DNS module"),
        ("modules:\n  m:\n    prober: dns\n    dns:\n      query_name: x\n      query_type: BOGUS\n",
         "blackbox.yml:6:19: modules.m.dns.query_type: query type 'BOGUS' is not valid"),
        ("modules:\n  m:\n    prober: http\n    http:\n      fail_if_body_matches_regexp: ['(']\n",
         "blackbox.yml:5:37: modules.m.http.fail_if_body_matches_regexp[0]: \"Could not compile regular expression\" regexp=\"(\""),
        ("modules:\n  m:\n    prober: http\n    timeout: 5x\n", "blackbox.yml:4:14: modules.m.timeout: time: invalid duration \"5x\""),
        ("modules:\n  m:\n    prober: htp\n", "blackbox.yml:3:13: modules.m.prober: unknown prober \"htp\" (use http, tcp, icmp, dns, grpc, postgres, redis, tls, disk, memory)"),
        ("modules:\n  m:\n    prober: icmp\n    icmp: {ttl: 300}\n", "blackbox.yml:4:17: modules.m.icmp.ttl: \"ttl\" cannot exceed 255"),
        ("modules:\n  m:\n    prober: http\n    http:\n      headers: {Accept-Encoding: br}\n      compression: gzip\n",
         "blackbox.yml:5:7: modules.m.http: invalid configuration \"Accept-Encoding: br\", \"compression: gzip\""),
    ])
    func refusals(yaml: String, want: String) {
        do {
            _ = try ProbesConfig.parseBlackbox(yaml, file: "blackbox.yml")
            Issue.record("no error for \(yaml)")
        } catch {
            #expect("\(error)" == want)
        }
    }

    @Test func probesSectionWithFileInlineAndChecks() throws {
        try withTemporaryDirectoryBlocking { folder in
            try "modules:\n  http_2xx: {prober: http, timeout: 5s}\n".write(toFile: folder + "/blackbox.yml", atomically: true, encoding: .utf8)
            let config = try parseConfig("""
                probes:
                  config_file: blackbox.yml
                  modules:
                    db: {prober: postgres, timeout: 3s, postgres: {query: "SELECT 1"}}
                  checks:
                    - {name: api, target: "http://127.0.0.1/", module: http_2xx, interval: 30s, timeout: 10s, labels: {team: payments}}
                """, filename: folder + "/pharos.yml")
            let probes = try ProbesConfig.decode(config)
            #expect(Set(probes.modules.keys) == ["http_2xx", "db"])
            #expect(probes.checks.first?.labels == Labels(["team": "payments"]))
            let bad = try parseConfig("probes:\n  checks:\n    - {name: api, target: x, module: nope}\n", filename: folder + "/pharos.yml")
            #expect(throws: ConfigError.self) { try ProbesConfig.decode(bad) }
            do { _ = try ProbesConfig.decode(bad) } catch {
                #expect("\(error)" == "\(folder)/pharos.yml:3:38: probes.checks[0].module: unknown module \"nope\"")
            }
            try "modules:\n  x:\n    prober: http\n    bogus: 1\n".write(toFile: folder + "/bad.yml", atomically: true, encoding: .utf8)
            let badFile = try parseConfig("probes:\n  config_file: bad.yml\n", filename: folder + "/pharos.yml")
            do { _ = try ProbesConfig.decode(badFile); Issue.record("bad.yml accepted") } catch {
                #expect("\(error)" == "\(folder)/bad.yml:4:5: modules.x.bogus: field bogus not found in type config.plain")
            }
        }
    }
}
