import PharosCore

/// `GET /federate?match[]=…` (Prometheus' `web/federate.go`, float samples).
///
/// For every series matching any selector, the newest sample in `[now - lookbackDelta, now]`
/// unless it is a staleness marker; written in text format 0.0.4 with timestamps, sorted
/// stably by metric name, one `# TYPE <name> untyped` per run of a name, no HELP. Each line
/// has the series' labels in order, then the external labels the series lacks, in name
/// order; `instance=""` counts as an external label unless one is configured, so federated
/// series never get the federating server's instance. Nameless series are skipped.
/// No `match[]` gives an empty 200 answer.
package struct Federation: Sendable {
    package let storage: any Queryable
    package let parseSelector: SelectorParser
    /// The server's `global.external_labels`.
    package var externalLabels: Labels
    /// Lookback in ms (5 minutes by default, as PromQL's).
    package var lookbackDelta: Int64
    package let now: @Sendable () -> Timestamp

    package init(storage: any Queryable, parseSelector: @escaping SelectorParser, externalLabels: Labels = .empty,
                 lookbackDelta: Int64 = 5 * 60_000, now: @escaping @Sendable () -> Timestamp) {
        self.storage = storage
        self.parseSelector = parseSelector
        self.externalLabels = externalLabels
        self.lookbackDelta = lookbackDelta
        self.now = now
    }

    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition text for `selectors` (the `match[]` values). Throws `APIError` `.badData`
    /// for an unparsable selector (`parse error…` as Prometheus words it) and `.internal` for
    /// storage failures.
    package func render(selectors: [String]) async throws(APIError) -> [UInt8] {
        var matcherSets: [[LabelMatcher]] = []
        for selector in selectors {
            do { matcherSets.append(try parseSelector(selector)) } catch {
                throw APIError(.badData, "\(error)", location: "parameter \"match[]\"")
            }
        }
        if matcherSets.isEmpty { return [] }
        let maxt = now(), mint = maxt - lookbackDelta
        let latest: [(labels: Labels, timestamp: Timestamp, value: Double)]
        do {
            latest = try await storage.withQuerier(from: mint, through: maxt) { querier in
                var found: [Labels: (Timestamp, Double)] = [:]
                let hints = SelectHints(start: mint, end: maxt)
                for matchers in matcherSets {
                    var set = try await querier.select(matchers, hints: hints, sorted: true)
                    while let series = try set.next() {
                        if found[series.labels] != nil { continue }
                        var iterator = series.makeIterator()
                        var last: (Timestamp, Double)?
                        if iterator.seek(to: mint) {
                            repeat {
                                let current = iterator.current
                                if current.timestamp > maxt { break }
                                last = (current.timestamp, current.value)
                            } while iterator.next()
                        }
                        if let last, !last.1.isStaleMarker { found[series.labels] = last }
                    }
                }
                return found.map { (labels: $0.key, timestamp: $0.value.0, value: $0.value.1) }.sorted { $0.labels < $1.labels }
            }
        } catch {
            throw APIError(.internal, "\(error)", location: "federate")
        }
        var writer = FederationWriter(externalLabels: externalLabels)
        for sample in latest.enumerated().sorted(by: { ($0.element.labels.metricName ?? "", $0.offset) < ($1.element.labels.metricName ?? "", $1.offset) }) {
            writer.write(sample.element.labels, value: sample.element.value, timestamp: sample.element.timestamp)
        }
        return writer.output
    }
}
