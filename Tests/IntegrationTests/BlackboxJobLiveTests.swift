import Foundation
import HTTPTestSupport
import Hummingbird
import PharosTestSupport
import Testing

/// The blackbox job of an existing prometheus.yml (`metrics_path: /probe`, `params: {module:
/// […]}`, `__param_target` relabeling) scrapes Pharos' own `/probe` unchanged: the probe's
/// series are stored with the target as `instance`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct BlackboxJobLiveTests {
    @Test func prometheusBlackboxJobWorksAgainstPharos() async throws {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        try await withTestHTTPServer(router) { targetPort in
            try await withTemporaryDirectory { folder in
                let port = try Peers.freePort()
                let target = "http://127.0.0.1:\(targetPort)/healthz"
                try """
                    global: {scrape_interval: 1s, scrape_timeout: 900ms}
                    probes:
                      modules: {http_2xx: {prober: http, timeout: 2s}}
                    scrape_configs:
                      - job_name: blackbox
                        metrics_path: /probe
                        params: {module: [http_2xx]}
                        static_configs: [{targets: ['\(target)']}]
                        relabel_configs:
                          - {source_labels: [__address__], target_label: __param_target}
                          - {source_labels: [__param_target], target_label: instance}
                          - {target_label: __address__, replacement: '127.0.0.1:\(port)'}
                    """.write(toFile: folder + "/pharos.yml", atomically: true, encoding: .utf8)
                let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log", extraArguments: [
                    "--config.file=\(folder)/pharos.yml", "--web.listen-address=127.0.0.1:\(port)",
                ])
                defer { pharos.stop() }
                var stored = QueryResultJSON(series: [:])
                for _ in 0..<40 {
                    stored = try await pharos.query(#"probe_success{job="blackbox"}"#, at: Date().timeIntervalSince1970)
                    if !stored.series.isEmpty { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                let key = #"{__name__="probe_success", instance="\#(target)", job="blackbox"}"#
                #expect(stored.series[key]?.first?.value == 1, "\(stored)\n\(pharos.log)")
                let status = try await pharos.query(#"probe_http_status_code{job="blackbox"}"#, at: Date().timeIntervalSince1970)
                #expect(status.series.values.first?.first?.value == 200, "\(status)")
            }
        }
    }
}
