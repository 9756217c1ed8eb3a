import PharosCore

/// Iterates the samples of a series stored as chunks, clipped to [mint, maxt].
///
/// Chunks are taken oldest first; chunks whose time ranges overlap (the same series in the
/// head and a block, or two blocks) are merged by timestamp and a timestamp present in several
/// chunks yields the sample of the earliest-starting chunk once. Corrupt chunks end early.
package struct ChunkSeriesIterator: SampleIterator {
    private let groups: [[ChunkSnapshot]]
    private let groupMaxTimes: [Timestamp]
    private let mint: Timestamp
    private let maxt: Timestamp
    private var groupIndex = 0
    private var active: [XORIterator] = []
    /// A group of one chunk (the common case) is read straight from this iterator.
    private var single = XORIterator(bytes: [])
    private var singleActive = false
    private var alive: [Bool] = []
    private var sample: (timestamp: Timestamp, value: Double) = (0, 0)
    private var started = false
    private var done = false

    package init(chunks: [ChunkSnapshot], from mint: Timestamp, through maxt: Timestamp) {
        self.mint = mint
        self.maxt = maxt
        let sorted = chunks.filter { $0.overlaps(mint, maxt) }.sorted { $0.minTime < $1.minTime }
        var groups: [[ChunkSnapshot]] = []
        var maxTimes: [Timestamp] = []
        for chunk in sorted {
            if let last = maxTimes.last, chunk.minTime <= last {
                groups[groups.count - 1].append(chunk)
                maxTimes[maxTimes.count - 1] = max(last, chunk.maxTime)
            } else {
                groups.append([chunk])
                maxTimes.append(chunk.maxTime)
            }
        }
        self.groups = groups
        self.groupMaxTimes = maxTimes
    }

    package var current: (timestamp: Timestamp, value: Double) { sample }

    package mutating func next() -> Bool {
        guard !done else { return false }
        while let candidate = nextRaw() {
            if candidate.timestamp < mint { continue }
            if candidate.timestamp > maxt { break }
            sample = candidate
            started = true
            return true
        }
        done = true
        return false
    }

    package mutating func seek(to timestamp: Timestamp) -> Bool {
        guard !done else { return false }
        if started && sample.timestamp >= timestamp { return true }
        // Skip whole groups that end before the target without decoding them.
        if active.isEmpty && !singleActive {
            while groupIndex < groups.count && groupMaxTimes[groupIndex] < timestamp { groupIndex += 1 }
        }
        while next() {
            if sample.timestamp >= timestamp { return true }
        }
        return false
    }

    /// The next sample of the merged chunks, ignoring the clip range.
    private mutating func nextRaw() -> (timestamp: Timestamp, value: Double)? {
        while true {
            if singleActive {
                if single.next() {
                    let picked = single.current
                    if started && picked.timestamp <= sample.timestamp { continue } // never go backwards
                    return picked
                }
                singleActive = false
                continue
            }
            if active.isEmpty {
                guard groupIndex < groups.count else { return nil }
                if groups[groupIndex].count == 1 {
                    single = groups[groupIndex][0].makeIterator()
                    singleActive = true
                    groupIndex += 1
                    continue
                }
                active = groups[groupIndex].map { $0.makeIterator() }
                alive = active.indices.map { active[$0].next() }
                groupIndex += 1
            }
            var best = -1
            for index in active.indices where alive[index] {
                if best < 0 || active[index].current.timestamp < active[best].current.timestamp { best = index }
            }
            guard best >= 0 else {
                active = []
                alive = []
                continue
            }
            let picked = active[best].current
            for index in active.indices where alive[index] && active[index].current.timestamp == picked.timestamp {
                alive[index] = active[index].next()
            }
            if started && picked.timestamp <= sample.timestamp { continue } // never go backwards
            return picked
        }
    }
}

/// A series whose samples live in chunks; each iterator decodes them afresh.
package struct ChunkedSeries: Series, Sendable {
    package let labels: Labels
    package let chunks: [ChunkSnapshot]
    package let mint: Timestamp
    package let maxt: Timestamp

    package init(labels: Labels, chunks: [ChunkSnapshot], from mint: Timestamp, through maxt: Timestamp) {
        self.labels = labels
        self.chunks = chunks
        self.mint = mint
        self.maxt = maxt
    }

    package func makeIterator() -> any SampleIterator {
        ChunkSeriesIterator(chunks: chunks, from: mint, through: maxt)
    }
}
