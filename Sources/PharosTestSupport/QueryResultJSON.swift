import Foundation

/// A PromQL result as Prometheus' JSON shows it (HTTP API `data` or `promtool query -o json`),
/// normalised for comparison: series keyed by their sorted label set, each with its points,
/// plus the result type and the order the series came in (for queries that order them).
package struct QueryResultJSON: Equatable, CustomStringConvertible {
    package struct Point: Equatable {
        package var time: Double
        package var value: Double

        package init(_ time: Double, _ value: Double) {
            self.time = time
            self.value = value
        }
    }

    /// Label set printed as `{a="1", b="2"}` → points in time order. Scalars use the key `scalar`.
    package var series: [String: [Point]]
    /// `vector`, `matrix`, `scalar` or `string`; nil when the JSON did not say (a bare result).
    package var resultType: String?
    /// Series keys in the order the result listed them.
    package var order: [String]

    package init(series: [String: [Point]], resultType: String? = nil) {
        self.series = series
        self.resultType = resultType
        order = series.keys.sorted()
    }

    /// Equal series and points (result type and order are compared by `difference`).
    package static func == (lhs: QueryResultJSON, rhs: QueryResultJSON) -> Bool { lhs.series == rhs.series }

    /// Parses an HTTP API body (`{"status":…,"data":{"resultType":…,"result":…}}`), a bare
    /// `data` object, or a bare result array/scalar as promtool prints it.
    /// - Parameter relabel: applied to each series' labels before keying (e.g. a documented
    ///   rule by which one server's answer is expected to differ from the other's).
    package init(json: Data, relabel: (([String: String]) -> [String: String])? = nil) throws {
        let object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        try self.init(object: object, relabel: relabel)
    }

    package init(object: Any, relabel: (([String: String]) -> [String: String])? = nil) throws {
        series = [:]
        order = []
        try parse(object, relabel)
    }

    private mutating func parse(_ object: Any, _ relabel: (([String: String]) -> [String: String])?) throws {
        if let body = object as? [String: Any], let data = body["data"] {
            guard body["status"] as? String == "success" else { throw PeerError("query failed: \(body)") }
            return try parse(data, relabel)
        }
        if let data = object as? [String: Any], let result = data["result"] {
            resultType = data["resultType"] as? String
            return try parse(result, relabel)
        }
        if let pair = object as? [Any], pair.count == 2, !(pair.first is [String: Any]) {
            series = ["scalar": [try Self.point(pair)]]
            order = ["scalar"]
            return
        }
        guard let items = object as? [[String: Any]] else { throw PeerError("not a PromQL result: \(object)") }
        for item in items {
            var metric = item["metric"] as? [String: String] ?? [:]
            if let relabel { metric = relabel(metric) }
            let key = "{" + metric.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
            if series[key] == nil { order.append(key) }
            if let value = item["value"] as? [Any] {
                series[key, default: []].append(try Self.point(value))
            } else if let values = item["values"] as? [[Any]] {
                series[key, default: []].append(contentsOf: try values.map(Self.point))
            }
        }
    }

    private static func point(_ pair: [Any]) throws -> Point {
        guard pair.count == 2, let time = (pair[0] as? NSNumber)?.doubleValue,
              let text = pair[1] as? String, let value = Double(text) ?? goFloat(text) else {
            throw PeerError("not a [time, \"value\"] pair: \(pair)")
        }
        return Point(time, value)
    }

    private static func goFloat(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: nil
        }
    }

    /// nil when both have the same result type (where both state one), the same series and
    /// timestamps, values within `tolerance` (relative, or absolute near zero) and, when
    /// `ordered`, the series in the same order (of values: ties may swap); otherwise the first
    /// difference, in one line.
    package func difference(from other: QueryResultJSON, tolerance: Double = 1e-9, ordered: Bool = false) -> String? {
        if let mine = resultType, let theirs = other.resultType, mine != theirs {
            return "result types differ: \(mine) vs \(theirs)"
        }
        let mine = Set(series.keys), theirs = Set(other.series.keys)
        guard mine == theirs else {
            let extra = mine.subtracting(theirs).sorted(), missing = theirs.subtracting(mine).sorted()
            return "series differ (\(mine.count) vs \(theirs.count)): only here \(extra.prefix(5))\(extra.count > 5 ? "…" : ""),"
                + " only there \(missing.prefix(5))\(missing.count > 5 ? "…" : "")"
        }
        for (key, points) in series {
            let others = other.series[key] ?? []
            guard points.map(\.time) == others.map(\.time) else {
                return "\(key): timestamps differ: \(points.map(\.time)) vs \(others.map(\.time))"
            }
            for (mine, theirs) in zip(points, others) {
                let a = mine.value, b = theirs.value
                if a.isNaN && b.isNaN || a == b { continue }
                if abs(a - b) > tolerance * max(1, abs(a), abs(b)) {
                    return "\(key) at \(mine.time): \(a) vs \(b)"
                }
            }
        }
        // Ties have no defined order (Prometheus' topk heap, sort's unstable sort): series
        // must come in the same order of values, and equal values may swap.
        func values(_ result: QueryResultJSON) -> [Double] { result.order.map { result.series[$0]?.first?.value ?? .nan } }
        if ordered, !zip(values(self), values(other)).allSatisfy({ $0 == $1 || $0.isNaN && $1.isNaN }) {
            return "series order differs: \(order.prefix(8)) vs \(other.order.prefix(8))"
        }
        return nil
    }

    package var description: String {
        series.keys.sorted().map { key in
            "\(key) " + (series[key] ?? []).map { "\($0.value)@\($0.time)" }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
