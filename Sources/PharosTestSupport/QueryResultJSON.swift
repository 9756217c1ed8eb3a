import Foundation

/// A PromQL result as Prometheus' JSON shows it (HTTP API `data` or `promtool query -o json`),
/// normalised for comparison: series keyed by their sorted label set, each with its points.
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

    package init(series: [String: [Point]]) { self.series = series }

    /// Parses an HTTP API body (`{"status":…,"data":{"resultType":…,"result":…}}`), a bare
    /// `data` object, or a bare result array/scalar as promtool prints it.
    package init(json: Data) throws {
        let object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        try self.init(object: object)
    }

    package init(object: Any) throws {
        series = try Self.parse(object)
    }

    private static func parse(_ object: Any) throws -> [String: [Point]] {
        if let body = object as? [String: Any], let data = body["data"] {
            guard body["status"] as? String == "success" else { throw PeerError("query failed: \(body)") }
            return try parse(data)
        }
        if let data = object as? [String: Any], let result = data["result"] {
            return try parse(result)
        }
        if let pair = object as? [Any], pair.count == 2, !(pair.first is [String: Any]) {
            return ["scalar": [try point(pair)]]
        }
        guard let items = object as? [[String: Any]] else { throw PeerError("not a PromQL result: \(object)") }
        var series: [String: [Point]] = [:]
        for item in items {
            let metric = item["metric"] as? [String: String] ?? [:]
            let key = "{" + metric.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
            if let value = item["value"] as? [Any] {
                series[key, default: []].append(try point(value))
            } else if let values = item["values"] as? [[Any]] {
                series[key, default: []].append(contentsOf: try values.map(point))
            }
        }
        return series
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

    /// nil when both have the same series and timestamps and values within `tolerance`
    /// (relative, or absolute near zero); otherwise the first difference, in one line.
    package func difference(from other: QueryResultJSON, tolerance: Double = 1e-9) -> String? {
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
        return nil
    }

    package var description: String {
        series.keys.sorted().map { key in
            "\(key) " + (series[key] ?? []).map { "\($0.value)@\($0.time)" }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
