import PharosCore

/// Prometheus remote write 1.0 `prometheus.WriteRequest` (prompb/remote.proto, types.proto).
///
/// Labels are kept as sent (order and duplicates untouched) so the receiver decides how to
/// validate them; `TimeSeries.labelSet` builds a sorted `Labels`.
package struct WriteRequest: Sendable, Hashable {
    package var timeseries: [RemoteTimeSeries]
    package var metadata: [RemoteMetricMetadata]

    package init(timeseries: [RemoteTimeSeries] = [], metadata: [RemoteMetricMetadata] = []) {
        self.timeseries = timeseries
        self.metadata = metadata
    }

    /// Native histograms across all series; decoded only far enough to count them.
    package var histogramCount: Int { timeseries.reduce(0) { $0 + $1.histogramCount } }
}

/// `prometheus.TimeSeries`: labels=1, samples=2, exemplars=3, histograms=4 (counted, skipped).
package struct RemoteTimeSeries: Sendable, Hashable {
    package var labels: [Label]
    package var samples: [Sample]
    package var exemplars: [RemoteExemplar]
    /// How many `histograms` entries the series carried; their contents are not decoded.
    package var histogramCount: Int

    package init(labels: [Label], samples: [Sample] = [], exemplars: [RemoteExemplar] = [], histogramCount: Int = 0) {
        self.labels = labels
        self.samples = samples
        self.exemplars = exemplars
        self.histogramCount = histogramCount
    }

    /// The labels as a sorted set (empty values dropped, last duplicate wins).
    package var labelSet: Labels { Labels(labels) }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.exemplars == rhs.exemplars && lhs.histogramCount == rhs.histogramCount
            && lhs.samples.count == rhs.samples.count
            && zip(lhs.samples, rhs.samples).allSatisfy { $0.timestamp == $1.timestamp && $0.value.bitPattern == $1.value.bitPattern }
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(samples.count)
    }
}

/// `prometheus.Exemplar`: labels=1, value=2 (double), timestamp=3 (int64 ms).
package struct RemoteExemplar: Sendable, Hashable {
    package var labels: [Label]
    package var value: Double
    package var timestamp: Timestamp

    package init(labels: [Label], value: Double, timestamp: Timestamp) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern && lhs.timestamp == rhs.timestamp
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(timestamp)
    }
}

/// `prometheus.MetricMetadata`: type=1 (enum), metric_family_name=2, help=4, unit=5.
package struct RemoteMetricMetadata: Sendable, Hashable {
    package var type: MetricType
    package var metricFamilyName: String
    package var help: String
    package var unit: String

    package init(type: MetricType, metricFamilyName: String, help: String = "", unit: String = "") {
        self.type = type
        self.metricFamilyName = metricFamilyName
        self.help = help
        self.unit = unit
    }

    /// The wire enum `MetricMetadata.MetricType`; unknown numbers decode as `.unknown`.
    static func type(wire: UInt64) -> MetricType {
        switch wire {
        case 1: .counter
        case 2: .gauge
        case 3: .histogram
        case 4: .gaugehistogram
        case 5: .summary
        case 6: .info
        case 7: .stateset
        default: .unknown
        }
    }

    static func wire(_ type: MetricType) -> UInt64 {
        switch type {
        case .unknown: 0
        case .counter: 1
        case .gauge: 2
        case .histogram: 3
        case .gaugehistogram: 4
        case .summary: 5
        case .info: 6
        case .stateset: 7
        }
    }
}
