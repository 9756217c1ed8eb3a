import PharosCore

/// One pushed sample: its full label set (`__name__` and the grouping labels included) and value.
package struct PushedSample: Hashable, Sendable {
    package var labels: Labels
    package var value: Double

    package init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
    }
}

/// One metric family inside a group, as pushed: name, type, help and samples in body order.
/// For histograms and summaries the samples carry the `_bucket`/`_sum`/`_count` names.
package struct PushedFamily: Hashable, Sendable {
    package var name: String
    package var type: MetricType
    package var help: String?
    package var samples: [PushedSample]
    /// When the push that stored this family happened (ms).
    package var pushedAt: Timestamp

    package init(name: String, type: MetricType = .unknown, help: String? = nil,
                 samples: [PushedSample] = [], pushedAt: Timestamp = 0) {
        self.name = name
        self.type = type
        self.help = help
        self.samples = samples
        self.pushedAt = pushedAt
    }
}

/// A Pushgateway group: its key and families by name, including the two gauges Pushgateway
/// maintains per group, `push_time_seconds` and `push_failure_time_seconds`.
package struct MetricGroup: Hashable, Sendable {
    package static let pushTimeName = "push_time_seconds"
    package static let pushFailureTimeName = "push_failure_time_seconds"
    package static let pushTimeHelp = "Last Unix time when changing this group in the Pushgateway succeeded."
    package static let pushFailureTimeHelp = "Last Unix time when changing this group in the Pushgateway failed."

    package var key: GroupingKey
    package var families: [String: PushedFamily]

    package init(key: GroupingKey, families: [String: PushedFamily] = [:]) {
        self.key = key
        self.families = families
    }

    /// Seconds of the last successful push, 0 when none.
    package var pushTime: Double { families[Self.pushTimeName]?.samples.first?.value ?? 0 }
    /// Seconds of the last failed push, 0 when none.
    package var pushFailureTime: Double { families[Self.pushFailureTimeName]?.samples.first?.value ?? 0 }
    /// Pushgateway's `last_push_successful`: the last push time is not older than the last failure.
    package var lastPushSuccessful: Bool { pushTime >= pushFailureTime }

    /// All samples of the group, families sorted by name, samples in pushed order.
    package var samples: [PushedSample] {
        families.keys.sorted().flatMap { families[$0]!.samples }
    }

    /// Sets one of the per-group timestamp gauges to `time` (ms; 0 means never).
    mutating func setTimestampGauge(_ name: String, help: String, at time: Timestamp, pushedAt: Timestamp) {
        let labels = key.labels.setting(Labels.metricName, to: name)
        families[name] = PushedFamily(name: name, type: .gauge, help: help,
                                      samples: [PushedSample(labels: labels, value: Double(time) / 1000)],
                                      pushedAt: pushedAt)
    }
}
