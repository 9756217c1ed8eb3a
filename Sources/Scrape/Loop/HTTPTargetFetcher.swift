import PharosHTTPClient

/// The `TargetFetcher` over one `PharosHTTPClient` (one per scrape config's http_config).
///
/// Sends Prometheus' scrape headers: `Accept`, `Accept-Encoding` (gzip or identity),
/// `User-Agent` and `X-Prometheus-Scrape-Timeout-Seconds`; treats any status but 200 as a
/// failure `server returned HTTP status <code> <text>`.
package struct HTTPTargetFetcher: TargetFetcher {
    package let client: PharosHTTPClient
    package var userAgent: String

    package init(client: PharosHTTPClient, userAgent: String = "Pharos/0.1") {
        self.client = client
        self.userAgent = userAgent
    }

    package func shutdown() async { await client.shutdown() }

    package func fetch(_ target: ScrapeTarget, _ request: FetchRequest) async throws(ScrapeError) -> FetchResult {
        let headers: [(name: String, value: String)] = [
            ("Accept", request.accept),
            ("Accept-Encoding", request.compression ? "gzip" : "identity"),
            ("User-Agent", userAgent),
            ("X-Prometheus-Scrape-Timeout-Seconds", formatSeconds(request.timeout)),
        ]
        let response: HTTPFetchResponse
        do {
            response = try await client.get(target.url, headers: headers, timeout: request.timeout,
                                            bodySizeLimit: request.bodySizeLimit)
        } catch {
            // The body limit is Prometheus' bare message; transport errors keep `Get "url": …`.
            if error.kind == .bodySizeLimit { throw ScrapeError(.bodySizeLimit, location: "target \(target.url)", error.message) }
            throw ScrapeError(.fetch, location: "target \(target.url)", error.description)
        }
        guard response.status == 200 else {
            throw ScrapeError(.httpStatus, location: "target \(target.url)",
                              "server returned HTTP status \(response.statusLine)")
        }
        return FetchResult(contentType: response.header("Content-Type"), body: response.body)
    }
}

/// Go's `%g` of seconds for the small values timeouts take (`10`, `0.5`, `1.5`).
func formatSeconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let value = Double(seconds) + Double(attoseconds) / 1e18
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
