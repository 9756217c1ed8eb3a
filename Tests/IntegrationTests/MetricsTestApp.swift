import Foundation
import PharosTestSupport

/// `scripts/testapps/metrics_app.py`: a prometheus_client app with a counter, a gauge, a
/// histogram and a summary (fixed values, or moving every 100 ms with `tick`).
enum MetricsTestApp {
    /// The repository's `scripts/testapps/metrics_app.py`.
    static var appScript: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/testapps/metrics_app.py").path
    }

    /// Starts the Python app on a free port (waits until it listens).
    static func startApp(folder: String, tick: Bool) async throws -> (PeerProcess, Int) {
        let port = try Peers.freePort()
        let app = try PeerProcess(try Peers.python3(), [appScript, "\(port)"] + (tick ? ["--tick"] : []),
                                  logPath: folder + "/app.log")
        do {
            try await app.waitForLog(containing: "listening on \(port)", timeout: .seconds(60))
        } catch {
            app.stop()
            throw error
        }
        return (app, port)
    }

    /// A prometheus.yml scraping the app every second as job `app` (target label
    /// `team="observability"`), followed by `extra` (e.g. a remote_write section).
    static func scrapeConfig(appPort: Int, extra: String = "") -> String {
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 900ms
        scrape_configs:
          - job_name: app
            static_configs:
              - targets: ['127.0.0.1:\(appPort)']
                labels:
                  team: observability

        """ + extra
    }
}
