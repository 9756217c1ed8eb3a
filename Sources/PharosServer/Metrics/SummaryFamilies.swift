import CoreMetrics
import Foundation
import PharosCore
import Synchronization

/// The summaries of the server's metrics back end: swift-metrics timers whose names are listed
/// here become `SlidingWindowSummary`s (swift-prometheus has no summary type), rendered in text
/// format 0.0.4 after the registry's families. Thread-safe.
package final class SummaryFamilies: Sendable {
    /// Metric name → help text, for every timer that is a summary.
    package let help: [String: String]
    private let options: SlidingWindowSummary.Options
    private let now: @Sendable () -> Double
    private let families = Mutex<[String: [Labels: SlidingWindowSummary]]>([:])

    package init(help: [String: String], options: SlidingWindowSummary.Options = .init(),
                 now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.help = help
        self.options = options
        self.now = now
    }

    /// The summary of `name` with `labels`, made on first use; nil when `name` is not a summary.
    package func summary(_ name: String, labels: [(String, String)]) -> SlidingWindowSummary? {
        guard help[name] != nil else { return nil }
        let key = Labels(labels.map { Label(name: $0.0, value: $0.1) })
        return families.withLock { families in
            if let existing = families[name]?[key] { return existing }
            let made = SlidingWindowSummary(options: options, now: now)
            families[name, default: [:]][key] = made
            return made
        }
    }

    package func remove(_ summary: SlidingWindowSummary) {
        families.withLock { families in
            for name in families.keys { families[name] = families[name]?.filter { $0.value !== summary } }
        }
    }

    /// Every summary family in text format 0.0.4, families and series in name order. A series
    /// appears from its first observation on, as a client_golang summary vector's child does.
    package func render(into out: inout String) {
        let snapshot = families.withLock { $0 }
        for name in snapshot.keys.sorted() {
            let series = (snapshot[name] ?? [:]).map { ($0.key, $0.value.snapshot()) }.filter { $0.1.count > 0 }
            guard !series.isEmpty else { continue }
            out += "# HELP \(name) \(help[name] ?? "")\n# TYPE \(name) summary\n"
            for (labels, (quantiles, sum, count)) in series.sorted(by: { $0.0.description < $1.0.description }) {
                for (quantile, value) in quantiles {
                    out += name + Self.labelText(labels, extra: ("quantile", GoFloat.format(quantile))) + " " + GoFloat.format(value) + "\n"
                }
                out += name + "_sum" + Self.labelText(labels) + " " + GoFloat.format(sum) + "\n"
                out += name + "_count" + Self.labelText(labels) + " \(count)\n"
            }
        }
    }

    private static func labelText(_ labels: Labels, extra: (String, String)? = nil) -> String {
        func escaped(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        var pairs = labels.map { "\($0.name)=\(escaped($0.value))" }
        if let extra { pairs.append("\(extra.0)=\(escaped(extra.1))") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }
}

/// A swift-metrics timer recording into a summary, in seconds.
final class SummaryTimerHandler: TimerHandler, Sendable {
    let summary: SlidingWindowSummary

    init(summary: SlidingWindowSummary) { self.summary = summary }

    func recordNanoseconds(_ duration: Int64) { summary.observe(Double(duration) / 1e9) }
}
