import Foundation
import PharosTestSupport

/// The built `pharos` binary as a child process on 127.0.0.1 with a free port, logging logfmt
/// to `<folder>/pharos-N.log`. `stop()` (or deinit) ends it.
final class PharosSubprocess: @unchecked Sendable {
    let peer: PeerProcess
    let port: Int

    /// Starts pharos on `dataPath` and waits (bounded) until it is ready to serve queries.
    init(dataPath: String, logPath: String, extraArguments: [String] = []) async throws {
        peer = try PeerProcess(try Peers.pharos(), [
            "--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=\(dataPath)",
            "--log.format=logfmt", "--log.level=info",
        ] + extraArguments, logPath: logPath)
        do {
            let text = try await peer.waitForLog(containing: "http.address=", timeout: .seconds(60))
            let address = text.split(separator: "\n").lazy.compactMap { line in
                line.split(separator: " ").first { $0.hasPrefix("http.address=") }
            }.first
            guard let port = address.flatMap({ Int($0.split(separator: ":").last ?? "") }) else {
                throw PeerError("pharos logged no http.address; log:\n\(text)")
            }
            self.port = port
            // Storage owns readiness: /-/ready turns 200 once the WAL is replayed.
            var ready = false
            for _ in 0..<600 where peer.isRunning {
                if (try? await TestHTTPClient(port: port).get("/-/ready").status) == 200 { ready = true; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            guard ready else { throw PeerError("pharos never became ready on port \(port); log:\n\(peer.log)") }
        } catch {
            peer.stop()
            throw error
        }
    }

    var client: TestHTTPClient { TestHTTPClient(port: port) }
    var log: String { peer.log }

    /// `/api/v1/query` at `time` (Unix seconds), parsed.
    func query(_ expression: String, at time: Double) async throws -> QueryResultJSON {
        try await client.query(expression, at: time)
    }

    func stop() { peer.stop() }
    func kill9() { peer.kill9() }
}

extension TestHTTPClient {
    /// `/api/v1/query` at `time` (Unix seconds), parsed; throws with the body unless 200.
    func query(_ expression: String, at time: Double) async throws -> QueryResultJSON {
        let response = try await postForm("/api/v1/query", "query=\(Self.formEncode(expression))&time=\(time)")
        guard response.status == 200 else { throw PeerError("query \(expression): HTTP \(response.status): \(response.body)") }
        return try QueryResultJSON(json: Data(response.body.utf8))
    }

    /// `/api/v1/query_range`, parsed.
    func queryRange(_ expression: String, start: Double, end: Double, step: Double) async throws -> QueryResultJSON {
        let response = try await postForm("/api/v1/query_range",
                                          "query=\(Self.formEncode(expression))&start=\(start)&end=\(end)&step=\(step)")
        guard response.status == 200 else { throw PeerError("query_range \(expression): HTTP \(response.status): \(response.body)") }
        return try QueryResultJSON(json: Data(response.body.utf8))
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
