import PharosCore
import Synchronization

/// The metric metadata one target exposes (the metadata part of Prometheus' `scrapeCache`):
/// metric family name → type, help and unit, as its `# TYPE`, `# HELP` and `# UNIT` lines
/// said in recent scrapes.
///
/// The scrape runner writes only when it reads such a line, so series lines cost nothing.
/// A family first seen through HELP or UNIT has type `unknown` until a TYPE line says
/// otherwise. After a successful scrape (`endScrape(flush: true)`), families whose lines were
/// last seen more than 10 successful scrapes ago are forgotten, as Prometheus does; failed
/// scrapes keep everything. Thread-safe: the loop writes while the HTTP API reads.
package final class TargetMetadataStore: Sendable {
    private struct Entry {
        var metadata = MetricMetadata()
        var lastIteration: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var iteration = 0
    }

    /// Successful scrapes a family may stay absent before it is forgotten.
    package static let retainedScrapes = 10

    private let state = Mutex(State())

    package init() {}

    /// Records a `# TYPE name type` line.
    package func setType(_ name: String, _ type: MetricType) {
        update(name) { $0.type = type }
    }

    /// Records a `# HELP name text` line (text already unescaped).
    package func setHelp(_ name: String, _ help: String) {
        update(name) { $0.help = help }
    }

    /// Records a `# UNIT name unit` line.
    package func setUnit(_ name: String, _ unit: String) {
        update(name) { $0.unit = unit }
    }

    /// Ends a scrape. With `flush` (the scrape read a body) ages out families not seen for more
    /// than `retainedScrapes` scrapes and advances the iteration; without, changes nothing.
    package func endScrape(flush: Bool) {
        guard flush else { return }
        state.withLock { state in
            let oldest = state.iteration - Self.retainedScrapes
            if state.entries.values.contains(where: { $0.lastIteration < oldest }) {
                state.entries = state.entries.filter { $0.value.lastIteration >= oldest }
            }
            state.iteration += 1
        }
    }

    /// Every family's metadata, sorted by family name.
    package func list() -> [(metric: String, metadata: MetricMetadata)] {
        state.withLock { state in state.entries.map { ($0.key, $0.value.metadata) } }
            .sorted { $0.metric < $1.metric }
    }

    /// The metadata of one family, nil when the target never exposed it (or it aged out).
    package func metadata(for metric: String) -> MetricMetadata? {
        state.withLock { $0.entries[metric]?.metadata }
    }

    private func update(_ name: String, _ change: (inout MetricMetadata) -> Void) {
        state.withLock { state in
            let iteration = state.iteration
            change(&state.entries[name, default: Entry(lastIteration: iteration)].metadata)
            state.entries[name]?.lastIteration = iteration
        }
    }
}
