import HTTPTypes
import Hummingbird
import NIOCore

/// What `/probe` needs from the probes component (implemented in PharosServer over Probes).
package protocol ProbeHandling: Sendable {
    /// Runs one blackbox-style probe: `module` and `target` are the first query values,
    /// `scrapeTimeout` the `X-Prometheus-Scrape-Timeout-Seconds` header. Returns status,
    /// content type and body.
    func probe(module: String?, target: String?, debug: Bool, scrapeTimeout: String?) async -> (status: Int, contentType: String, body: String)
}

extension PharosRouter {
    /// `GET /probe?target=…&module=…[&debug=true]`, blackbox_exporter's endpoint.
    package static func addProbeRoute(_ probes: any ProbeHandling, to router: Router<BasicRequestContext>) {
        let header = HTTPField.Name("X-Prometheus-Scrape-Timeout-Seconds")!
        router.get("/probe") { request, _ -> Response in
            let query = request.uri.queryParameters
            let answer = await probes.probe(module: query["module"].map(String.init), target: query["target"].map(String.init),
                                            debug: query["debug"] == "true", scrapeTimeout: request.headers[header])
            return Response(status: HTTPResponse.Status(code: answer.status),
                            headers: [.contentType: answer.contentType, .init("X-Content-Type-Options")!: "nosniff"],
                            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
    }
}
