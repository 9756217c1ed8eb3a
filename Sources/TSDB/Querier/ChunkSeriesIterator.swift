import PharosCore

/// Iterates the samples of a series stored as chunks, clipped to [mint, maxt].
///
/// Chunks are taken oldest first; chunks whose time ranges overlap (the same series in the
/// head and a block, or two blocks) are merged by timestamp and a timestamp present in several
/// chunks yields the sample of the earliest-starting chunk once. Corrupt chunks end early.
package struct ChunkSeriesIterator: SampleIterator {
    /// The chunks overlapping [mint, maxt], by ascending minTime.
    private let chunks: [ChunkSnapshot]
    /// Exclusive end index in `chunks` of each group of overlapping chunks; empty when no two
    /// chunks overlap (the usual case: every chunk is its own group, nothing to allocate).
    private let groupEnds: [Int]
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
        var kept = chunks
        if !kept.allSatisfy({ $0.overlaps(mint, maxt) }) { kept = kept.filter { $0.overlaps(mint, maxt) } }
        if !kept.indices.dropFirst().allSatisfy({ kept[$0 - 1].minTime <= kept[$0].minTime }) {
            kept.sort { $0.minTime < $1.minTime }
        }
        var disjoint = true
        var runningMax = Timestamp.min
        for chunk in kept {
            if chunk.minTime <= runningMax {
                disjoint = false
                break
            }
            runningMax = chunk.maxTime
        }
        var ends: [Int] = []
        var maxTimes: [Timestamp] = []
        if !disjoint {
            for (index, chunk) in kept.enumerated() {
                if let last = maxTimes.last, chunk.minTime <= last {
                    ends[ends.count - 1] = index + 1
                    maxTimes[maxTimes.count - 1] = max(last, chunk.maxTime)
                } else {
                    ends.append(index + 1)
                    maxTimes.append(chunk.maxTime)
                }
            }
        }
        self.chunks = kept
        self.groupEnds = ends
        self.groupMaxTimes = maxTimes
    }

    private var groupCount: Int { groupEnds.isEmpty ? chunks.count : groupEnds.count }

    private func groupBounds(_ group: Int) -> Range<Int> {
        groupEnds.isEmpty ? group..<group + 1 : (group == 0 ? 0 : groupEnds[group - 1])..<groupEnds[group]
    }

    private func groupMaxTime(_ group: Int) -> Timestamp {
        groupEnds.isEmpty ? chunks[group].maxTime : groupMaxTimes[group]
    }

    package var current: (timestamp: Timestamp, value: Double) { sample }

    package mutating func next() -> Bool {
        guard !done else { return false }
        while true {
            // A lone chunk is decoded in one pass up to the first sample in range.
            if !singleActive && active.isEmpty && groupIndex < groupCount && groupBounds(groupIndex).count == 1 {
                single = chunks[groupBounds(groupIndex).lowerBound].makeIterator()
                singleActive = true
                groupIndex += 1
            }
            if singleActive {
                switch drainSingle({ _ in true }, consume: { _, _ in }) {
                case .stopped: return true
                case .ended: return false
                case .chunkDone: continue
                }
            }
            guard let candidate = nextRaw() else { break }
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
            while groupIndex < groupCount && groupMaxTime(groupIndex) < timestamp { groupIndex += 1 }
        }
        while true {
            if singleActive {
                switch drainSingle({ $0 >= timestamp }, consume: { _, _ in }) {
                case .stopped: return true
                case .ended: return false
                case .chunkDone: continue
                }
            }
            guard next() else { return false }
            if sample.timestamp >= timestamp { return true }
        }
    }

    /// `SampleIterator.appendSamples`, decoding a lone chunk in one pass.
    package mutating func appendSamples(through end: Timestamp, to buffer: inout [Sample]) -> Sample? {
        while true {
            if singleActive {
                let outcome = drainSingle({ $0 > end }, consume: { timestamp, value in
                    if !value.isStaleMarker { buffer.append(Sample(timestamp: timestamp, value: value)) }
                })
                switch outcome {
                case .stopped: return Sample(timestamp: sample.timestamp, value: sample.value)
                case .ended: return nil
                case .chunkDone: continue
                }
            }
            guard next() else { return nil }
            let (timestamp, value) = sample
            if timestamp > end { return Sample(timestamp: timestamp, value: value) }
            if !value.isStaleMarker { buffer.append(Sample(timestamp: timestamp, value: value)) }
        }
    }

    /// `SampleIterator.advance(through:)`, decoding a lone chunk in one pass.
    package mutating func advance(through end: Timestamp) -> (last: Sample?, next: Sample?) {
        var last: Sample?
        while true {
            if singleActive {
                let outcome = drainSingle({ $0 > end }, consume: { timestamp, value in
                    last = Sample(timestamp: timestamp, value: value)
                })
                switch outcome {
                case .stopped: return (last, Sample(timestamp: sample.timestamp, value: sample.value))
                case .ended: return (last, nil)
                case .chunkDone: continue
                }
            }
            guard next() else { return (last, nil) }
            let (timestamp, value) = sample
            if timestamp > end { return (last, Sample(timestamp: timestamp, value: value)) }
            last = Sample(timestamp: timestamp, value: value)
        }
    }

    private enum DrainOutcome { case stopped, ended, chunkDone }

    /// Reads the lone active chunk in one pass, with `next`'s clipping: each in-range sample
    /// becomes current, then iteration stops there when `stop` holds, else it goes to `consume`.
    /// The closures see only locals, so `single` is decoded in place (no copy per call).
    @inline(__always)
    private mutating func drainSingle(_ stop: (Timestamp) -> Bool, consume: (Timestamp, Double) -> Void) -> DrainOutcome {
        var outcome = DrainOutcome.chunkDone
        let mint = mint, maxt = maxt
        var hasStarted = started
        var (lastTimestamp, lastValue) = sample
        single.forEachRemaining { timestamp, value in
            if hasStarted && timestamp <= lastTimestamp { return true } // never go backwards
            if timestamp < mint { return true }
            if timestamp > maxt {
                outcome = .ended
                return false
            }
            (lastTimestamp, lastValue) = (timestamp, value)
            hasStarted = true
            if stop(timestamp) {
                outcome = .stopped
                return false
            }
            consume(timestamp, value)
            return true
        }
        sample = (lastTimestamp, lastValue)
        started = hasStarted
        switch outcome {
        case .stopped: break
        case .ended: done = true
        case .chunkDone: singleActive = false
        }
        return outcome
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
                guard groupIndex < groupCount else { return nil }
                let bounds = groupBounds(groupIndex)
                if bounds.count == 1 {
                    single = chunks[bounds.lowerBound].makeIterator()
                    singleActive = true
                    groupIndex += 1
                    continue
                }
                active = chunks[bounds].map { $0.makeIterator() }
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
