import NIOCore
import PharosCore

/// What `/api/v1/status/tsdb` reports: head statistics and the head index's top lists
/// (Prometheus' `tsdbStatus`). Each list is sorted by value, highest first.
package struct APITSDBStatus: Sendable, Hashable {
    package struct Stat: Sendable, Hashable {
        package var name: String
        package var value: Int

        package init(name: String, value: Int) {
            self.name = name
            self.value = value
        }
    }

    package var numSeries = 0
    package var numLabelPairs = 0
    package var chunkCount = 0
    /// Bounds of the head's samples in ms; an empty head reports Int64.max and Int64.min, as
    /// Prometheus' head does before its first sample.
    package var minTime: Timestamp = .max
    package var maxTime: Timestamp = .min
    package var seriesCountByMetricName: [Stat] = []
    package var labelValueCountByLabelName: [Stat] = []
    package var memoryInBytesByLabelName: [Stat] = []
    package var seriesCountByLabelValuePair: [Stat] = []

    package init() {}
}

/// Where `/api/v1/status/tsdb` reads from (the TSDB head, adapted by the server).
package protocol TSDBStatusProviding: Sendable {
    /// The status with at most `limit` entries per list. Throws when storage is not ready.
    func tsdbStatus(limit: Int) async throws -> APITSDBStatus
}

extension PrometheusAPI {
    /// `/api/v1/status/tsdb`: `limit` (default 10; must be a positive integer).
    package func tsdbStatus(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        var limit = 10
        if let text = form["limit"], !text.isEmpty {
            guard let value = Int(text), value >= 1 else {
                throw APIError(.badData, "limit must be a positive number", location: "parameter \"limit\"")
            }
            limit = value
        }
        guard let tsdbStatusProvider else {
            throw APIError(.unavailable, "TSDB status is not available", location: "status/tsdb")
        }
        let status: APITSDBStatus
        do { status = try await tsdbStatusProvider.tsdbStatus(limit: limit) } catch {
            throw APIError(.unavailable, String(describing: error), location: "status/tsdb")
        }
        return APIResponse.success { json in
            json.raw("{\"headStats\":{\"numSeries\":\(status.numSeries),\"numLabelPairs\":\(status.numLabelPairs)")
            json.raw(",\"chunkCount\":\(status.chunkCount),\"minTime\":\(status.minTime),\"maxTime\":\(status.maxTime)}")
            let lists: [(StaticString, [APITSDBStatus.Stat])] = [
                (",\"seriesCountByMetricName\":", status.seriesCountByMetricName),
                (",\"labelValueCountByLabelName\":", status.labelValueCountByLabelName),
                (",\"memoryInBytesByLabelName\":", status.memoryInBytesByLabelName),
                (",\"seriesCountByLabelValuePair\":", status.seriesCountByLabelValuePair),
            ]
            for (key, stats) in lists {
                json.raw(key)
                json.raw("[")
                for (index, stat) in stats.enumerated() {
                    json.raw(index == 0 ? "{\"name\":" : ",{\"name\":")
                    json.string(stat.name)
                    json.raw(",\"value\":\(stat.value)}")
                }
                json.raw("]")
            }
            json.raw("}")
        }
    }
}
