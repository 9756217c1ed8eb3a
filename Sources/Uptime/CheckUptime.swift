import PharosCore

/// A check's uptime, from its stored `probe_success` samples: the share of successful probes
/// over 24 h, 7 d and 30 d, and its incidents (each run of failed probes).
package struct CheckUptime: Sendable, Hashable {
    /// One down period: from the first failed probe to the first successful one after it (nil
    /// while it lasts).
    package struct Incident: Sendable, Hashable {
        package var start: Timestamp
        package var end: Timestamp?
        /// Failed probes in the run.
        package var failedProbes: Int
        /// It began inside a maintenance window (shown apart; it does not count against uptime).
        package var duringMaintenance = false

        package init(start: Timestamp, end: Timestamp?, failedProbes: Int, duringMaintenance: Bool = false) {
            self.start = start
            self.end = end
            self.failedProbes = failedProbes
            self.duringMaintenance = duringMaintenance
        }

        /// Seconds down, up to `now` while it lasts.
        package func durationSeconds(now: Timestamp) -> Double { Double((end ?? now) - start) / 1000 }
    }

    /// The windows reported, by name, in milliseconds.
    package static let windows: [(name: String, milliseconds: Int64)] = [
        ("24h", 86_400_000), ("7d", 7 * 86_400_000), ("30d", 30 * 86_400_000),
    ]

    package var check: String
    /// The check's target (its `instance` label).
    package var target: String
    /// The latest probe's outcome; nil before the first probe.
    package var up: Bool?
    package var lastProbe: Timestamp?
    /// Percent of successful probes per window name; nil for a window without probes.
    package var percent: [String: Double]
    /// Newest first, within the longest window.
    package var incidents: [Incident]

    /// Computes the uptime of `samples` (`probe_success`, ascending timestamps; a value other
    /// than 1 is a failure) as seen at `now`. Probes while `inMaintenance` are left out of the
    /// percentages, and incidents that begin then are marked.
    package init(check: String, target: String, samples: [Sample], now: Timestamp,
                 inMaintenance: (Timestamp) -> Bool = { _ in false }) {
        self.check = check
        self.target = target
        let longest = Self.windows.map(\.milliseconds).max() ?? 0
        let recent = samples.filter { $0.timestamp > now - longest && $0.timestamp <= now && !$0.value.isNaN }
        up = recent.last.map { $0.value == 1 }
        lastProbe = recent.last?.timestamp
        var percent: [String: Double] = [:]
        for window in Self.windows {
            let inWindow = recent.filter { $0.timestamp > now - window.milliseconds && !inMaintenance($0.timestamp) }
            guard !inWindow.isEmpty else { continue }
            percent[window.name] = 100 * Double(inWindow.filter { $0.value == 1 }.count) / Double(inWindow.count)
        }
        self.percent = percent
        var incidents: [Incident] = []
        var open: Incident?
        for sample in recent {
            if sample.value == 1 {
                if var incident = open {
                    incident.end = sample.timestamp
                    incidents.append(incident)
                    open = nil
                }
            } else if open == nil {
                open = Incident(start: sample.timestamp, end: nil, failedProbes: 1, duringMaintenance: inMaintenance(sample.timestamp))
            } else {
                open?.failedProbes += 1
            }
        }
        if let open { incidents.append(open) }
        self.incidents = incidents.reversed()
    }
}
