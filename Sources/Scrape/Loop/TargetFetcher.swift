/// What a scrape asks of a fetcher.
package struct FetchRequest: Sendable, Hashable {
    /// Prometheus' `Accept` header for the job's scrape_protocols.
    package var accept: String
    /// Ask for gzip (`enable_compression`); otherwise `identity`.
    package var compression: Bool
    /// Deadline for the whole exchange (`scrape_timeout`).
    package var timeout: Duration
    /// Maximum (decompressed) body size in bytes; 0 means none.
    package var bodySizeLimit: Int

    package init(accept: String, compression: Bool = true, timeout: Duration, bodySizeLimit: Int = 0) {
        self.accept = accept
        self.compression = compression
        self.timeout = timeout
        self.bodySizeLimit = bodySizeLimit
    }
}

/// A successful (HTTP 200) scrape response.
package struct FetchResult: Sendable, Hashable {
    package var contentType: String?
    package var body: [UInt8]

    package init(contentType: String?, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
    }
}

/// Fetches one target's exposition body (VictoriaMetrics' `ReadData`).
///
/// Implementations are thread-safe; a loop calls `fetch` at most once at a time per target.
/// Any non-200 status, transport error, timeout or oversized body throws a `ScrapeError` whose
/// `message` is what Prometheus would show as the target's last error.
package protocol TargetFetcher: Sendable {
    func fetch(_ target: ScrapeTarget, _ request: FetchRequest) async throws(ScrapeError) -> FetchResult
    /// Releases connections; called once when the fetcher's pool is replaced or the manager ends.
    func shutdown() async
}

extension TargetFetcher {
    package func shutdown() async {}
}
