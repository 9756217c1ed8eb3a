import Foundation
import PharosTestSupport

/// A real Prometheus (Debian's 2.42) on a free 127.0.0.1 port, for side-by-side tests. `start`
/// writes `config` to `<folder>/prometheus.yml`, stores in `<folder>/prometheus-data`, logs to
/// `<folder>/prometheus.log`, and returns once Prometheus says it is ready.
struct PrometheusPeer {
    let process: PeerProcess
    let client: TestHTTPClient

    var log: String { process.log }

    static func start(folder: String, config: String, extraArguments: [String] = []) async throws -> PrometheusPeer {
        try config.write(toFile: folder + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try Peers.freePort()
        let process = try PeerProcess(Peers.prometheus, [
            "--config.file=\(folder)/prometheus.yml", "--storage.tsdb.path=\(folder)/prometheus-data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=info",
        ] + extraArguments, logPath: folder + "/prometheus.log")
        do {
            try await process.waitForLog(containing: "Server is ready to receive web requests", timeout: .seconds(60))
        } catch {
            process.stop()
            throw error
        }
        return PrometheusPeer(process: process, client: TestHTTPClient(port: port))
    }

    func stop() { process.stop() }
}
