import NIOCore
import PharosCore
import PromQL

/// Success bodies of the Prometheus HTTP API, written by hand into a `ByteBuffer`:
/// `{"status":"success","data":…,"warnings":[…],"infos":[…]}`, with `warnings` and `infos`
/// omitted when empty (Go's `omitempty`). Pure functions.
package enum APIResponse {
    /// Wraps the data written by `data` in the success envelope.
    package static func success(annotations: Annotations = Annotations(), _ data: (inout JSONWriter) -> Void) -> ByteBuffer {
        var json = JSONWriter()
        json.raw("{\"status\":\"success\",\"data\":")
        data(&json)
        if !annotations.warnings.isEmpty {
            json.raw(",\"warnings\":")
            json.strings(annotations.warnings)
        }
        if !annotations.infos.isEmpty {
            json.raw(",\"infos\":")
            json.strings(annotations.infos)
        }
        json.raw("}")
        return json.buffer
    }

    /// `/api/v1/query` and `/api/v1/query_range`: `{"resultType":…,"result":…}`.
    package static func query(_ result: QueryResult) -> ByteBuffer {
        success(annotations: result.annotations) { json in
            json.raw("{\"resultType\":")
            json.string(result.value.resultType)
            json.raw(",\"result\":")
            writeValue(result.value, into: &json)
            json.raw("}")
        }
    }

    /// The `result` of a query value in its API shape.
    package static func writeValue(_ value: QueryValue, into json: inout JSONWriter) {
        switch value {
        case .scalar(let timestamp, let value):
            json.point(timestamp, value)
        case .string(let timestamp, let text):
            json.raw("[")
            json.timestamp(timestamp)
            json.raw(",")
            json.string(text)
            json.raw("]")
        case .vector(let samples):
            json.raw("[")
            for (index, sample) in samples.enumerated() {
                json.raw(index == 0 ? "{\"metric\":" : ",{\"metric\":")
                json.labels(sample.labels)
                json.raw(",\"value\":")
                json.point(sample.timestamp, sample.value)
                json.raw("}")
            }
            json.raw("]")
        case .matrix(let series):
            json.raw("[")
            for (index, one) in series.enumerated() {
                json.raw(index == 0 ? "{\"metric\":" : ",{\"metric\":")
                json.labels(one.labels)
                json.raw(",\"values\":[")
                for (position, sample) in one.samples.enumerated() {
                    if position > 0 { json.raw(",") }
                    json.point(sample.timestamp, sample.value)
                }
                json.raw("]}")
            }
            json.raw("]")
        }
    }

    /// `/api/v1/labels` and `/api/v1/label/{name}/values`: an array of strings.
    package static func strings(_ values: [String], annotations: Annotations = Annotations()) -> ByteBuffer {
        success(annotations: annotations) { $0.strings(values) }
    }

    /// `/api/v1/series`: an array of label objects.
    package static func series(_ sets: [Labels], annotations: Annotations = Annotations()) -> ByteBuffer {
        success(annotations: annotations) { json in
            json.raw("[")
            for (index, labels) in sets.enumerated() {
                if index > 0 { json.raw(",") }
                json.labels(labels)
            }
            json.raw("]")
        }
    }

    /// An object of string values in the given order (flags are passed sorted by name).
    package static func stringObject(_ pairs: [(String, String)]) -> ByteBuffer {
        success { json in
            json.raw("{")
            for (index, pair) in pairs.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(pair.0)
                json.raw(":")
                json.string(pair.1)
            }
            json.raw("}")
        }
    }
}
