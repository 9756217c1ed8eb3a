import Discovery
import Exposition
import PharosCore

/// Counts of one scrape's append pass (Prometheus' `total`, `added`, `seriesAdded`).
package struct AppendCounts: Sendable, Hashable {
    /// Sample lines read from the body (`scrape_samples_scraped`).
    package var total = 0
    /// Samples left after metric relabeling (`scrape_samples_post_metric_relabeling`).
    package var added = 0
    /// Series not in the cache before (`scrape_series_added`).
    package var seriesAdded = 0
    /// Samples the storage refused (not an error): out of order, a duplicate timestamp with
    /// another value, or out of bounds (too old for the head).
    package var outOfOrder = 0
    package var duplicateTimestamp = 0
    package var outOfBounds = 0
    /// Exemplars handed to storage with their samples (OpenMetrics bodies only; storage ignores
    /// a repeat of its series' newest one).
    package var exemplars = 0
    /// Exemplars the storage refused as out of order (not an error, as in Prometheus).
    package var exemplarsOutOfOrder = 0
}

/// One target's scrape logic without scheduling: fetch, parse, relabel, append, report.
///
/// Owns the series cache and the staleness bookkeeping, so it is not thread-safe: one task
/// drives it (the `ScrapeLoop`, or a test calling `scrapeAndReport(at:)` directly). Each call
/// writes all samples, staleness markers and the five report series in one appender
/// transaction; on a failed fetch, parse or limit the samples are rolled back, every series of
/// the previous scrape gets a staleness marker, and `up` 0 is still written.
package struct ScrapeRunner {
    package let target: ScrapeTarget
    package let options: ScrapeOptions
    let fetcher: any TargetFetcher
    let storage: any Appendable
    let clock: any ScrapeClock
    let status: TargetStatusBox?
    let report: ReportSeries
    let metrics: ScrapeMetrics
    var cache = ScrapeCache()
    /// The target's TYPE/HELP/UNIT metadata, shared with readers (`ScrapeLoop.metadata`).
    package let metadata: TargetMetadataStore
    /// Outcome of the last `scrapeAndReport`, for tests and logs.
    package private(set) var lastCounts = AppendCounts()

    /// - Parameters:
    ///   - status: where to publish health after each scrape (the loop's shared box).
    ///   - metadata: where to record the target's metadata lines (the loop's shared store).
    package init(target: ScrapeTarget, options: ScrapeOptions, fetcher: any TargetFetcher,
                 storage: any Appendable, clock: any ScrapeClock, status: TargetStatusBox? = nil,
                 metadata: TargetMetadataStore = TargetMetadataStore(), metrics: ScrapeMetrics = ScrapeMetrics()) {
        self.metadata = metadata
        self.metrics = metrics
        self.target = target
        self.options = options
        self.fetcher = fetcher
        self.storage = storage
        self.clock = clock
        self.status = status
        report = ReportSeries(target: target.publicLabels)
    }

    /// Scrapes once with samples timestamped `appendTime` (ms).
    ///
    /// - Parameter forcedError: fail without fetching (target_limit exceeded for the pool).
    /// - Returns: the scrape's error, nil when `up` is 1.
    @discardableResult
    package mutating func scrapeAndReport(at appendTime: Timestamp, forcedError: ScrapeError? = nil) async -> ScrapeError? {
        let started = clock.nowNanoseconds
        var scrapeError = forcedError
        var body: [UInt8] = []
        var format = ExpositionFormat.text004
        if forcedError == nil {
            let request = FetchRequest(accept: options.accept, compression: options.enableCompression,
                                       timeout: .milliseconds(target.timeout.milliseconds),
                                       bodySizeLimit: options.bodySizeLimit)
            do {
                let result = try await fetcher.fetch(target, request)
                switch ScrapeContentType.choose(contentType: result.contentType, fallback: options.fallback) {
                case .format(let chosen, _):
                    body = result.body
                    format = chosen
                case .failure(let message):
                    scrapeError = ScrapeError(.parse, location: "target \(target.url)", message)
                }
            } catch {
                scrapeError = error
            }
        }
        let duration = Double(clock.nowNanoseconds - started) / 1e9

        var app = storage.makeAppender()
        let (counts, appendError) = appendBody(app, body, format: format, at: appendTime)
        if appendError != nil {
            app.rollback()
            app = storage.makeAppender()
            cache.discardCurrent()
            let (_, retryError) = appendBody(app, [], format: .text004, at: appendTime)
            if retryError != nil {
                app.rollback()
                app = storage.makeAppender()
            }
        }
        if scrapeError == nil { scrapeError = appendError }
        lastCounts = counts
        appendReport(app, at: appendTime, duration: duration, counts: counts, up: scrapeError == nil)
        do {
            try await app.commit()
        } catch {
            if scrapeError == nil { scrapeError = ScrapeError(.storage, location: "target \(target.url)", "\(error)") }
        }
        let finalError = scrapeError
        metrics.record(counts, error: finalError)
        status?.scrapeFinished(at: appendTime, duration: duration, error: finalError)
        return scrapeError
    }

    /// Writes staleness markers at `time` for every series the last scrape exposed and for the
    /// report series: the target went away or the loop stopped on reload.
    package mutating func markAllStale(at time: Timestamp) async {
        let app = storage.makeAppender()
        cache.discardCurrent()
        _ = appendBody(app, [], format: .text004, at: time)
        for labels in report.labels { appendStale(app, labels, at: time) }
        do { try await app.commit() } catch { app.rollback() }
    }

    private func appendReport(_ app: any Appender, at time: Timestamp, duration: Double, counts: AppendCounts, up: Bool) {
        let values = [up ? 1 : 0, duration, Double(counts.total), Double(counts.added), Double(counts.seriesAdded)]
        for (labels, value) in zip(report.labels, values) {
            _ = try? app.append(.unknown, labels, at: time, value: value, options: .none)
        }
    }

    func appendStale(_ app: any Appender, _ labels: Labels, at time: Timestamp) {
        // Out-of-order or duplicate markers are expected when a target comes back; ignore them.
        _ = try? app.append(.unknown, labels, at: time, value: StaleNaN.value, options: .none)
    }
}
