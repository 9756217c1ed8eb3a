import NIOCore
import PharosCore

/// One active target's metric metadata, as the scrape layer recorded it.
package struct APITargetMetadata: Sendable {
    /// The target's public labels (`instance`, `job`, …).
    package var target: Labels
    /// Metric family → metadata, sorted by family name.
    package var metadata: [(metric: String, metadata: MetricMetadata)]

    package init(target: Labels, metadata: [(metric: String, metadata: MetricMetadata)]) {
        self.target = target
        self.metadata = metadata
    }
}

/// Where `/api/v1/metadata` and `/api/v1/targets/metadata` read from (the scrape manager,
/// adapted by the server). Targets come in a stable order (pools in config order).
package protocol MetadataProviding: Sendable {
    func targetMetadata() async -> [APITargetMetadata]
}

extension PrometheusAPI {
    /// `/api/v1/metadata`: `limit` (metrics), `limit_per_metric`, `metric`.
    ///
    /// `{"<metric>":[{"type":…,"help":…,"unit":…},…]}`: the distinct metadata every target
    /// reports for each metric, metrics sorted by name, entries in the order first seen.
    /// A negative limit means none; 0 gives `{}`.
    package func metricMetadata(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        let limit = try Self.signedLimit(form, "limit")
        let limitPerMetric = try Self.signedLimit(form, "limit_per_metric")
        let metric = form["metric"] ?? ""
        var byMetric: [String: [MetricMetadata]] = [:]
        for target in await metadata?.targetMetadata() ?? [] {
            for (name, entry) in target.metadata where metric.isEmpty || name == metric {
                var entries = byMetric[name, default: []]
                if limitPerMetric > 0, entries.count >= limitPerMetric { continue }
                if !entries.contains(entry) { entries.append(entry) }
                byMetric[name] = entries
            }
        }
        var names = byMetric.keys.sorted()
        if limit >= 0, names.count > limit { names.removeSubrange(limit...) }
        return APIResponse.success { json in
            json.raw("{")
            for (index, name) in names.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(name)
                json.raw(":[")
                for (position, entry) in byMetric[name, default: []].enumerated() {
                    if position > 0 { json.raw(",") }
                    Self.writeMetadata(entry, into: &json)
                }
                json.raw("]")
            }
            json.raw("}")
        }
    }

    /// `/api/v1/targets/metadata`: `match_target` (a label selector on the target's labels),
    /// `metric`, `limit`.
    ///
    /// `[{"target":{…},"metric":…,"type":…,"help":…,"unit":…},…]`, targets in order, each
    /// target's metrics sorted by name; with `metric`, the `metric` field is left out (as
    /// Prometheus omits it). The limit is checked before each target, so the last target may
    /// add entries past it, as in Prometheus.
    package func targetMetadata(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        let limit = try Self.signedLimit(form, "limit")
        var matchers: [LabelMatcher] = []
        if let selector = form["match_target"], !selector.isEmpty {
            guard let parseSelector else {
                throw APIError(.unavailable, "series selector parsing is not available", location: "match_target")
            }
            do { matchers = try parseSelector(selector) } catch {
                throw APIError.invalidParameter("match_target", String(describing: error))
            }
        }
        let metric = form["metric"] ?? ""
        var rows: [(target: Labels, metric: String, metadata: MetricMetadata)] = []
        for target in await metadata?.targetMetadata() ?? [] {
            if limit >= 0, rows.count >= limit { break }
            guard matchers.allSatisfy({ $0.matches(target.target[$0.name]) }) else { continue }
            for (name, entry) in target.metadata where metric.isEmpty || name == metric {
                rows.append((target.target, metric.isEmpty ? name : "", entry))
            }
        }
        return APIResponse.success { json in
            json.raw("[")
            for (index, row) in rows.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"target\":")
                json.labels(row.target)
                if !row.metric.isEmpty {
                    json.raw(",\"metric\":")
                    json.string(row.metric)
                }
                json.raw(",")
                Self.writeMetadataFields(row.metadata, into: &json)
                json.raw("}")
            }
            json.raw("]")
        }
    }

    /// Prometheus' `strconv.Atoi` limits: absent or "" is -1 (none); not a number is
    /// `<name> must be a number`; negative values mean no limit.
    static func signedLimit(_ form: FormParameters, _ name: String) throws(APIError) -> Int {
        guard let text = form[name], !text.isEmpty else { return -1 }
        guard let value = Int(text) else {
            throw APIError(.badData, "\(name) must be a number", location: "parameter \"\(name)\"")
        }
        return value
    }

    static func writeMetadata(_ metadata: MetricMetadata, into json: inout JSONWriter) {
        json.raw("{")
        writeMetadataFields(metadata, into: &json)
        json.raw("}")
    }

    static func writeMetadataFields(_ metadata: MetricMetadata, into json: inout JSONWriter) {
        json.raw("\"type\":")
        json.string(metadata.type.rawValue)
        json.raw(",\"help\":")
        json.string(metadata.help)
        json.raw(",\"unit\":")
        json.string(metadata.unit)
    }
}
