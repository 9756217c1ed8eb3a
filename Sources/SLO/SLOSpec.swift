import Foundation
import PharosConfig
import PharosCore
import PromQLParser

/// One entry of `slos:` (CONFIG.md): a service's objective over a window, and how its SLI is
/// measured.
package struct SLOSpec: Sendable, Hashable {
    /// How the SLI's error ratio is computed over a window `[w]`.
    package enum Indicator: Sendable, Hashable {
        /// `sum(rate(errors[w])) / sum(rate(total[w]))`.
        case errors(errors: String, total: String)
        /// `1 - sum(rate(good[w])) / sum(rate(total[w]))`.
        case good(good: String, total: String)
        /// Requests slower than `threshold` seconds are errors: the histogram's bucket with that
        /// `le` against its `+Inf` bucket.
        case latency(histogram: String, threshold: Double)
        /// A check's `probe_success`: the fraction of failed probes.
        case check(String)
    }

    package var service: String
    package var name: String
    /// Percent, e.g. 99.5.
    package var objective: Double
    package var window: PrometheusDuration
    package var indicator: Indicator
    /// Added to the generated rules and alerts.
    package var labels: [String: String] = [:]

    /// The window in one unit, as people write it (`30d`, `28d`, `90d`; PromQL reads it too).
    package var windowName: String {
        let ms = window.milliseconds
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }

    /// The error budget as a ratio: `1 - objective / 100` (0.001 for 99.9, not 0.0010000000000000009).
    package var errorBudget: Double { Self.rounded(1 - objective / 100) }
    /// The objective as a ratio (0.999 for 99.9).
    package var objectiveRatio: Double { Self.rounded(objective / 100) }

    /// `value` to 12 significant digits: what the percentage meant, without binary noise.
    static func rounded(_ value: Double) -> Double { Double(String(format: "%.12g", value)) ?? value }

    /// The labels every series and alert of this SLO carries.
    package var identity: [String: String] {
        var labels = labels
        labels["slo_service"] = service
        labels["slo_name"] = name
        return labels
    }
}

extension SLOSpec {
    /// The SLOs of the config's `slos:` section (empty when absent), with positioned errors.
    package static func all(in config: PharosConfig) throws(ConfigError) -> [SLOSpec] {
        guard let cursor = config.cursor(for: "slos") else { return [] }
        var specs: [SLOSpec] = []
        var seen: Set<[String]> = []
        for item in try cursor.sequence() {
            let spec = try decode(item)
            guard seen.insert([spec.service, spec.name]).inserted else {
                throw item.fail(.invalidValue, "duplicate SLO \(goQuote(spec.name)) of service \(goQuote(spec.service))")
            }
            specs.append(spec)
        }
        return specs
    }

    static func decode(_ cursor: ConfigCursor) throws(ConfigError) -> SLOSpec {
        let fields = try cursor.mapping("slo")
        guard let service = try fields.string("service"), !service.isEmpty else { throw cursor.fail("missing service") }
        guard let name = try fields.string("name"), !name.isEmpty else { throw cursor.fail("missing name") }
        guard let objectiveNode = fields.take("objective") else { throw cursor.fail("missing objective (a percentage, e.g. 99.5)") }
        let objectiveText = try objectiveNode.string()
        guard let objective = Double(objectiveText), objective > 0, objective < 100 else {
            throw objectiveNode.fail("objective must be a percentage between 0 and 100 (exclusive), got \(goQuote(objectiveText))")
        }
        let window = try fields.duration("window") ?? PrometheusDuration(milliseconds: 30 * 86_400_000)
        if window.milliseconds < 3 * 86_400_000 {
            throw (fields.take("window") ?? cursor).fail("window must be at least 3d (the longest burn-rate window), got \(window)")
        }
        guard let sliNode = fields.take("sli") else { throw cursor.fail("missing sli (one of ratio, latency, check)") }
        let indicator = try decodeIndicator(sliNode)
        let labels = try fields.stringMap("labels") ?? [:]
        for name in labels.keys where !Labels.isValidLegacyName(name) {
            throw cursor.fail("invalid label name \(goQuote(name)) in labels")
        }
        for reserved in ["slo_service", "slo_name", "severity"] where labels[reserved] != nil {
            throw cursor.fail("label \(reserved) is set by Pharos and cannot be given in labels")
        }
        try fields.finish()
        return SLOSpec(service: service, name: name, objective: objective, window: window, indicator: indicator, labels: labels)
    }

    private static func decodeIndicator(_ cursor: ConfigCursor) throws(ConfigError) -> Indicator {
        let fields = try cursor.mapping("sli")
        let ratio = fields.take("ratio"), latency = fields.take("latency"), check = fields.take("check")
        try fields.finish()
        guard [ratio, latency, check].compactMap({ $0 }).count == 1 else {
            throw cursor.fail("sli takes exactly one of ratio, latency, check")
        }
        if let ratio {
            let f = try ratio.mapping("ratio")
            let errors = try f.take("errors").map { c throws(ConfigError) in try selector(c) }
            let good = try f.take("good").map { c throws(ConfigError) in try selector(c) }
            guard let totalNode = f.take("total") else { throw ratio.fail("missing total") }
            let total = try selector(totalNode)
            try f.finish()
            switch (errors, good) {
            case (let errors?, nil): return .errors(errors: errors, total: total)
            case (nil, let good?): return .good(good: good, total: total)
            default: throw ratio.fail("ratio takes exactly one of errors, good (with total)")
            }
        }
        if let latency {
            let f = try latency.mapping("latency")
            guard let histogramNode = f.take("histogram") else { throw latency.fail("missing histogram (a _bucket selector)") }
            let histogram = try selector(histogramNode)
            guard let thresholdNode = f.take("threshold") else { throw latency.fail("missing threshold (seconds)") }
            let text = try thresholdNode.string()
            guard let threshold = Double(text), threshold > 0, threshold.isFinite else {
                throw thresholdNode.fail("threshold must be a positive number of seconds, got \(goQuote(text))")
            }
            try f.finish()
            return .latency(histogram: histogram, threshold: threshold)
        }
        guard let check else { throw cursor.fail("sli takes exactly one of ratio, latency, check") }
        let name = try check.string()
        guard !name.isEmpty else { throw check.fail("check must name a check of probes.checks") }
        return .check(name)
    }

    /// A series selector, checked with the PromQL parser.
    private static func selector(_ cursor: ConfigCursor) throws(ConfigError) -> String {
        let text = try cursor.string()
        let expr: Expr
        do {
            expr = try parseExpr(text)
        } catch {
            throw cursor.fail("invalid selector \(goQuote(text)): \(error)")
        }
        guard case .vectorSelector = expr else {
            throw cursor.fail("\(goQuote(text)) is not a series selector (give the counter, e.g. http_requests_total{job=\"api\"}; Pharos takes rate() itself)")
        }
        return text
    }
}
