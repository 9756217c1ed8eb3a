import Foundation
import Logging
import NIOCore
import PharosServer
import PharosTestSupport
import Testing

@Suite(.timeLimit(.minutes(10))) struct ConfigReloadTests {
    @Test func invalidReloadKeepsTheRunningConfigAndSetsTheGaugeToZero() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path + "/pharos.yml"
        try "global:\n  scrape_interval: 15s\n".write(toFile: file, atomically: true, encoding: .utf8)
        var options = ServerOptions()
        options.configFile = file
        options.storagePath = directory.path + "/data"
        let server = try PharosServer.standard(options: options, logger: Logger(label: "test"), metrics: ServerMetrics())
        let reloader = try #require(server.reloader)
        #expect(reloader.yaml.contains("15s"))

        try "global:\n  scrape_interval: 5x\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = await #expect(throws: ServerError.self) { try await reloader.reload() }
        #expect("\(error!)".contains("pharos.yml:2:20: global.scrape_interval: invalid duration \"5x\""))
        #expect(reloader.yaml.contains("15s"))
        #expect(!reloader.lastReloadSucceeded)
        #expect(String(buffer: server.metrics.render()).contains("\npharos_config_last_reload_successful 0.0\n"))

        try "global:\n  scrape_interval: 10s\n".write(toFile: file, atomically: true, encoding: .utf8)
        try await reloader.reload()
        #expect(reloader.yaml.contains("10s"))
        #expect(reloader.lastReloadSucceeded)
        #expect(String(buffer: server.metrics.render()).contains("\npharos_config_last_reload_successful 1.0\n"))
    }
}
