import PharosCore

/// Per-loop memory between scrapes (Prometheus' `scrapeCache`).
///
/// Maps the raw bytes of a series line (name and label set) to its final labels and storage
/// ref, so a line seen before skips label parsing, target-label merging and relabeling; also
/// remembers lines that metric relabeling dropped, and which series the previous scrape
/// exposed (for staleness markers). Not thread-safe: owned by one loop.
struct ScrapeCache {
    struct Entry {
        var labels: Labels
        var ref: SeriesRef
        var lastIteration: Int
    }

    private(set) var series: [[UInt8]: Entry] = [:]
    private(set) var dropped: [[UInt8]: Int] = [:]
    /// Series of the previous successful scrape that had no explicit timestamp.
    private(set) var previous: Set<Labels> = []
    /// Series of the scrape in progress.
    private var current: Set<Labels> = []
    private(set) var iteration = 0

    func entry(_ key: [UInt8]) -> Entry? { series[key] }

    func isDropped(_ key: [UInt8]) -> Bool { dropped[key] != nil }

    mutating func touch(_ key: [UInt8]) { series[key]?.lastIteration = iteration }

    mutating func add(_ key: [UInt8], labels: Labels, ref: SeriesRef) {
        series[key] = Entry(labels: labels, ref: ref, lastIteration: iteration)
    }

    mutating func updateRef(_ key: [UInt8], _ ref: SeriesRef) { series[key]?.ref = ref }

    mutating func addDropped(_ key: [UInt8]) { dropped[key] = iteration }

    mutating func trackStaleness(_ labels: Labels) { current.insert(labels) }

    /// Series exposed by the previous scrape but not by this one.
    var stale: [Labels] { previous.subtracting(current).sorted() }

    /// Ends a scrape: this scrape's series become the previous ones. After a non-empty scrape,
    /// entries not seen in it are forgotten (dropped lines after 10 scrapes).
    mutating func finish(flush: Bool) {
        if flush {
            series = series.filter { $0.value.lastIteration == iteration }
            dropped = dropped.filter { $0.value >= iteration - 10 }
        }
        previous = current
        current = []
        iteration += 1
    }

    /// Forgets everything the last scrape saw (a failed scrape marks all of it stale).
    mutating func discardCurrent() { current = [] }
}
