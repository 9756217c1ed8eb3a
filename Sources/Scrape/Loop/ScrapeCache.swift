import PharosCore

/// Per-loop memory between scrapes (Prometheus' `scrapeCache`).
///
/// Maps the raw bytes of a series line (name and label set) to its final labels and storage
/// ref, so a line seen before skips label parsing, target-label merging and relabeling: its
/// cost is one byte comparison (or one hash lookup) and an append by ref. Also remembers lines
/// that metric relabeling dropped, and the series the previous scrape exposed (for staleness).
///
/// Entries are kept in an array and found through an open-addressing table of indices keyed
/// by a seeded byte hash. Each entry also remembers which entry followed it in the last scrape,
/// so when a target exposes its series in the same order as before, `predicted` names the next
/// line's entry and the caller confirms it with a byte comparison, without hashing at all.
///
/// Not thread-safe: owned by one loop.
struct ScrapeCache {
    struct Entry {
        let key: [UInt8]
        let hash: UInt64
        var labels: Labels
        var ref: SeriesRef
        var lastIteration: Int
        /// The entry of the line after this one in the last scrape that saw both, or -1.
        var next: Int
    }

    private(set) var entries: [Entry] = []
    /// Indices into `entries`, -1 for a free slot; the count is a power of two, at most half full.
    private var slots: [Int32] = Array(repeating: -1, count: 16)
    private var dropped: [[UInt8]: Int] = [:]
    private let seed: UInt64
    private(set) var iteration = 0
    /// Distinct entries seen in the scrape in progress.
    private var seenCount = 0
    /// The first entry of the last scrape, and the entry of the previous line in this one.
    private var first = -1
    private var lastHit = -1
    private var atStart = true

    /// Series tracked for staleness, in line order, for the previous successful scrape and
    /// the current one: an entry index, or `-1 - i` for the i-th label set in `…Extra` (lines
    /// without an entry). An unchanged scrape compares equal as plain integer arrays.
    private var previousTracked: [Int32] = []
    private var previousExtra: [Labels] = []
    private var currentTracked: [Int32] = []
    private var currentExtra: [Labels] = []

    init(seed: UInt64 = UInt64.random(in: .min ... .max)) { self.seed = seed }

    func key(_ index: Int) -> [UInt8] { entries[index].key }
    func labels(_ index: Int) -> Labels { entries[index].labels }
    func ref(_ index: Int) -> SeriesRef { entries[index].ref }

    /// The entry the next line most likely has: the one that followed the previous line's
    /// entry last time (or the first one of the last scrape at the start).
    var predicted: Int? {
        let candidate = lastHit >= 0 ? entries[lastHit].next : atStart ? first : -1
        return candidate >= 0 ? candidate : nil
    }

    /// The entry for these series bytes.
    func lookup(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBytes { key in
            let hash = ByteHash.hash(key, seed: seed)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                if entries[index].hash == hash,
                   entries[index].key.withUnsafeBytes({ ByteHash.equal($0, key) }) {
                    return index
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Records that the current line is entry `index` (found by prediction or lookup).
    mutating func hit(_ index: Int) {
        if entries[index].lastIteration != iteration {
            entries[index].lastIteration = iteration
            seenCount += 1
        }
        link(index)
    }

    /// Adds a new entry for the current line and returns its index.
    @discardableResult
    mutating func add(_ bytes: ArraySlice<UInt8>, labels: Labels, ref: SeriesRef) -> Int {
        let key = Array(bytes)
        let hash = key.withUnsafeBytes { ByteHash.hash($0, seed: seed) }
        let index = entries.count
        entries.append(Entry(key: key, hash: hash, labels: labels, ref: ref, lastIteration: iteration, next: -1))
        seenCount += 1
        if entries.count * 2 > slots.count {
            rebuildSlots()
        } else {
            insertSlot(index)
        }
        link(index)
        return index
    }

    mutating func updateRef(_ index: Int, _ ref: SeriesRef) { entries[index].ref = ref }

    func isDropped(_ bytes: ArraySlice<UInt8>) -> Bool { dropped[Array(bytes)] != nil }

    /// Remembers a line that relabeling dropped; it also breaks the prediction chain.
    mutating func addDropped(_ bytes: ArraySlice<UInt8>) {
        dropped[Array(bytes)] = iteration
        skipLine()
    }

    /// The current line has no entry (dropped or refused): the next one is not predicted.
    mutating func skipLine() {
        lastHit = -1
        atStart = false
    }

    /// Notes that this scrape exposed the series of entry `index`.
    mutating func trackStaleness(entry index: Int) { currentTracked.append(Int32(truncatingIfNeeded: index)) }

    /// Notes that this scrape exposed `labels`, a line without a cache entry.
    mutating func trackStaleness(_ labels: Labels) {
        currentTracked.append(-1 - Int32(truncatingIfNeeded: currentExtra.count))
        currentExtra.append(labels)
    }

    /// Series exposed by the previous scrape but not by this one, sorted.
    func staleSeries() -> [Labels] {
        if currentTracked == previousTracked && currentExtra == previousExtra { return [] }
        func labels(_ tracked: Int32, _ extra: [Labels]) -> Labels {
            tracked >= 0 ? entries[Int(tracked)].labels : extra[Int(-1 - tracked)]
        }
        let current = Set(currentTracked.lazy.map { labels($0, currentExtra) })
        var stale = Set<Labels>()
        for tracked in previousTracked {
            let set = labels(tracked, previousExtra)
            if !current.contains(set) { stale.insert(set) }
        }
        return stale.sorted()
    }

    /// Ends a scrape: this scrape's series become the previous ones. After a non-empty scrape,
    /// entries not seen in it are forgotten (dropped lines after 10 scrapes).
    mutating func finish(flush: Bool) {
        if flush {
            if seenCount < entries.count { removeUnseen() }
            dropped = dropped.filter { $0.value >= iteration - 10 }
        }
        swap(&previousTracked, &currentTracked)
        swap(&previousExtra, &currentExtra)
        discardCurrent()
        iteration += 1
        seenCount = 0
        lastHit = -1
        atStart = true
    }

    /// Forgets everything the last scrape saw (a failed scrape marks all of it stale).
    mutating func discardCurrent() {
        currentTracked.removeAll(keepingCapacity: true)
        currentExtra.removeAll(keepingCapacity: true)
    }

    private mutating func link(_ index: Int) {
        if atStart {
            first = index
            atStart = false
        } else if lastHit >= 0 {
            entries[lastHit].next = index
        }
        lastHit = index
    }

    private mutating func removeUnseen() {
        var newIndex = [Int](repeating: -1, count: entries.count)
        var kept: [Entry] = []
        kept.reserveCapacity(seenCount)
        for (index, entry) in entries.enumerated() where entry.lastIteration == iteration {
            newIndex[index] = kept.count
            kept.append(entry)
        }
        for index in kept.indices where kept[index].next >= 0 { kept[index].next = newIndex[kept[index].next] }
        first = first >= 0 ? newIndex[first] : -1
        // Every tracked entry was seen in this scrape, so it is kept.
        for position in currentTracked.indices where currentTracked[position] >= 0 {
            currentTracked[position] = Int32(truncatingIfNeeded: newIndex[Int(currentTracked[position])])
        }
        entries = kept
        rebuildSlots()
    }

    private mutating func rebuildSlots() {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        for index in entries.indices { insertSlot(index) }
    }

    private mutating func insertSlot(_ index: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(truncatingIfNeeded: index)
    }
}
