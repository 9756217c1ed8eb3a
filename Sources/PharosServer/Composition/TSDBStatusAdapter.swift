import PharosCore
import PharosHTTP
import TSDB

/// Serves the opened TSDB's head statistics to `/api/v1/status/tsdb`; throws
/// `StorageUnavailable` while the WAL replays.
struct TSDBStatusAdapter: TSDBStatusProviding {
    let storage: OpenedStorage

    func tsdbStatus(limit: Int) async throws -> APITSDBStatus {
        guard let head = storage.tsdb?.head else { throw StorageUnavailable() }
        return Self.status(of: head, limit: limit)
    }

    /// Maps the head's stats and cardinality lists to the API's shape.
    static func status(of head: Head, limit: Int) -> APITSDBStatus {
        let stats = head.stats
        let cardinality = head.cardinalityStats(label: Labels.metricName, limit: limit)
        func api(_ list: [CardinalityStat]) -> [APITSDBStatus.Stat] { list.map { .init(name: $0.name, value: $0.count) } }
        var status = APITSDBStatus()
        status.numSeries = stats.numSeries
        status.numLabelPairs = cardinality.numLabelPairs
        status.chunkCount = stats.chunks
        status.minTime = stats.minTime ?? .max
        status.maxTime = stats.maxTime ?? .min
        status.seriesCountByMetricName = api(cardinality.seriesCountByLabelValue)
        status.labelValueCountByLabelName = api(cardinality.valueCountByLabelName)
        status.memoryInBytesByLabelName = api(cardinality.memoryInBytesByLabelName)
        status.seriesCountByLabelValuePair = api(cardinality.seriesCountByLabelPair)
        return status
    }
}
