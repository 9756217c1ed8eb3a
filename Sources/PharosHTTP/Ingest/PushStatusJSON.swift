import Exposition
import NIOCore
import PharosCore
import Push

/// Pushgateway's `GET /api/v1/metrics` body: `{"status":"success","data":[…]}` with one object
/// per group: `labels` (the grouping key), `last_push_successful`, and one member per family
/// with `time_stamp` (RFC 3339), `type` (`GAUGE`, `COUNTER`, …), `help` and `metrics`, each
/// metric with its `labels` (no `__name__`; `instance` and empty grouping labels are "") and its `value` in
/// Go's `%v` form. Histogram and summary families list their samples one by one with their
/// series name as `__name__` rather than Pushgateway's bucket/quantile objects.
enum PushStatusJSON {
    static func body(_ groups: [MetricGroup]) -> ByteBuffer {
        var json = JSONWriter()
        json.raw("{\"status\":\"success\",\"data\":[")
        for (index, group) in groups.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"labels\":{")
            for (offset, pair) in group.key.pairs.enumerated() {
                if offset > 0 { json.raw(",") }
                json.string(pair.name)
                json.raw(":")
                json.string(pair.value)
            }
            json.raw("},\"last_push_successful\":")
            json.raw(group.lastPushSuccessful ? "true" : "false")
            for name in group.families.keys.sorted() {
                let family = group.families[name]!
                json.raw(",")
                json.string(name)
                json.raw(":{\"time_stamp\":")
                json.string(RFC3339.format(family.pushedAt))
                json.raw(",\"type\":")
                json.string(typeName(family.type))
                json.raw(",\"help\":")
                json.string(family.help ?? "")
                json.raw(",\"metrics\":[")
                for (offset, sample) in family.samples.enumerated() {
                    if offset > 0 { json.raw(",") }
                    let labels = family.type == .histogram || family.type == .summary
                        ? sample.labels : sample.labels.removingMetricName()
                    json.raw("{\"labels\":{")
                    var first = true
                    var pairs = labels.pairs
                    // Empty values storage drops: grouping labels like `a@base64/=`, and `instance`.
                    for pair in group.key.pairs where pair.value.isEmpty && !labels.has(pair.name) { pairs.append(pair) }
                    if !labels.has("instance") && group.key.value(of: "instance") == nil {
                        pairs.append(Label(name: "instance", value: ""))
                    }
                    for pair in pairs.sorted(by: { $0.name < $1.name }) {
                        if !first { json.raw(",") }
                        first = false
                        json.string(pair.name)
                        json.raw(":")
                        json.string(pair.value)
                    }
                    json.raw("},\"value\":")
                    json.string(GoFloat.format(sample.value))
                    json.raw("}")
                }
                json.raw("]}")
            }
            json.raw("}")
        }
        json.raw("]}")
        return json.buffer
    }

    static func typeName(_ type: MetricType) -> String {
        switch type {
        case .counter: "COUNTER"
        case .gauge: "GAUGE"
        case .histogram: "HISTOGRAM"
        case .summary: "SUMMARY"
        case .gaugehistogram: "GAUGE_HISTOGRAM"
        default: "UNTYPED"
        }
    }
}
