import PharosCore

/// Every sample of the series named `name` in `storage`, as `labels@t=value` (`stale` for a
/// staleness marker), series in label order and samples in time order, for exact assertions.
package func dump(_ storage: any Queryable, _ name: String) async throws -> [String] {
    try await storage.withQuerier(from: .min, through: .max) { querier in
        var set = try await querier.select([.equal(Labels.metricName, name)], hints: nil, sorted: true)
        var out: [String] = []
        while let series = try set.next() {
            var iterator = series.makeIterator()
            while iterator.next() {
                let (t, v) = iterator.current
                out.append("\(series.labels)@\(t)=\(v.isStaleMarker ? "stale" : "\(v)")")
            }
        }
        return out
    }
}
