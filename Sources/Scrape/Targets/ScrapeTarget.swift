import PharosCore

/// One target to scrape, after Prometheus' PopulateLabels.
///
/// Immutable value; two targets are the same target when `labels` (internal labels included)
/// are equal, which is how a reload decides to keep a running loop.
package struct ScrapeTarget: Sendable, Hashable {
    /// The labels after relabeling, `__address__`, `__scheme__`, `__metrics_path__`,
    /// `__scrape_interval__`, `__scrape_timeout__` and `__param_*` included; `__meta_*` removed.
    package let labels: Labels
    /// The labels before relabeling (discovered labels plus job/scheme/path/interval defaults).
    package let discoveredLabels: Labels
    /// The labels attached to every scraped sample: `labels` without `__`-prefixed names.
    package let publicLabels: Labels
    /// The URL to fetch, from scheme, address, metrics path and params.
    package let url: String
    /// Scrape interval and timeout from `__scrape_interval__` / `__scrape_timeout__`.
    package let interval: PrometheusDuration
    package let timeout: PrometheusDuration

    package init(labels: Labels, discoveredLabels: Labels, params: [String: [String]]) throws(ScrapeError) {
        self.labels = labels
        self.discoveredLabels = discoveredLabels
        publicLabels = Labels(sortedUnchecked: labels.filter { !$0.name.hasPrefix("__") })
        url = Self.makeURL(labels: labels, params: params)
        let intervalText = labels[TargetLabel.scrapeInterval], timeoutText = labels[TargetLabel.scrapeTimeout]
        do {
            interval = try PrometheusDuration(parsing: intervalText)
        } catch {
            throw ScrapeError(.invalidTarget, "error parsing scrape interval: \(error)")
        }
        do {
            timeout = try PrometheusDuration(parsing: timeoutText)
        } catch {
            throw ScrapeError(.invalidTarget, "error parsing scrape timeout: \(error)")
        }
        if interval.milliseconds == 0 { throw ScrapeError(.invalidTarget, "scrape interval cannot be 0") }
        if timeout.milliseconds == 0 { throw ScrapeError(.invalidTarget, "scrape timeout cannot be 0") }
        if timeout > interval {
            throw ScrapeError(.invalidTarget,
                              "scrape timeout cannot be greater than scrape interval (\(goQuote(timeoutText)) > \(goQuote(intervalText)))")
        }
    }

    /// Prometheus' `Target.URL()`: config params, each overridden (first value) or extended by
    /// a `__param_<name>` label; the query is encoded with keys sorted, as Go's `url.Values`.
    static func makeURL(labels: Labels, params: [String: [String]]) -> String {
        var query = params
        for label in labels where label.name.hasPrefix(TargetLabel.paramPrefix) {
            let key = String(label.name.dropFirst(TargetLabel.paramPrefix.count))
            if var values = query[key], !values.isEmpty {
                values[0] = label.value
                query[key] = values
            } else {
                query[key] = [label.value]
            }
        }
        var url = "\(labels[TargetLabel.scheme])://\(labels[TargetLabel.address])"
        let path = labels[TargetLabel.metricsPath]
        if !path.isEmpty, !path.hasPrefix("/") { url += "/" }
        url += path
        let encoded = query.keys.sorted().flatMap { key in
            query[key]!.map { "\(queryEscape(key))=\(queryEscape($0))" }
        }
        if !encoded.isEmpty { url += "?" + encoded.joined(separator: "&") }
        return url
    }

    /// A 64-bit hash of the labels and URL (FNV-1a), the seed of the scrape offset.
    package var hash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        for label in labels {
            mix(label.name.utf8); mix(CollectionOfOne(0xff))
            mix(label.value.utf8); mix(CollectionOfOne(0xff))
        }
        mix(url.utf8)
        return hash
    }

    /// Prometheus' `Target.offset`: where in each interval this target is scraped, so that
    /// targets spread evenly and a target keeps its phase across restarts.
    ///
    /// - Parameters:
    ///   - now: wall time in milliseconds.
    ///   - seed: per-server seed (Prometheus hashes the external labels).
    /// - Returns: milliseconds from `now` to the first scrape, in `0...interval`.
    package func offset(now: Timestamp, seed: UInt64 = 0) -> Int64 {
        let interval = interval.milliseconds
        let base = interval - ((now % interval) + interval) % interval
        let phase = Int64((hash ^ seed) % UInt64(interval))
        var next = base + phase
        if next > interval { next -= interval }
        return next
    }
}

/// Go's `url.QueryEscape`: unreserved bytes stay, space becomes `+`, the rest is `%XX`.
func queryEscape(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        case UInt8(ascii: " "):
            out += "+"
        default:
            let hex = Array("0123456789ABCDEF".unicodeScalars)
            out += "%"
            out.unicodeScalars.append(hex[Int(byte >> 4)])
            out.unicodeScalars.append(hex[Int(byte & 0xf)])
        }
    }
    return out
}

/// Names of the labels PopulateLabels reads and writes.
package enum TargetLabel {
    package static let address = "__address__"
    package static let scheme = "__scheme__"
    package static let metricsPath = "__metrics_path__"
    package static let scrapeInterval = "__scrape_interval__"
    package static let scrapeTimeout = "__scrape_timeout__"
    package static let paramPrefix = "__param_"
    package static let metaPrefix = "__meta_"
    package static let job = "job"
    package static let instance = "instance"
}
