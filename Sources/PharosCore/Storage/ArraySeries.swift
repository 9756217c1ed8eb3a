/// A series held in memory as a sorted array of samples. For tests, merges and small results.
package struct ArraySeries: Series, Sendable {
    package var labels: Labels
    package var samples: [Sample]

    package init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }

    package func makeIterator() -> any SampleIterator { ArraySampleIterator(samples) }
}

package struct ArraySampleIterator: SampleIterator {
    private let samples: [Sample]
    private var index = -1

    package init(_ samples: [Sample]) { self.samples = samples }

    package mutating func next() -> Bool {
        guard index + 1 < samples.count else {
            index = samples.count
            return false
        }
        index += 1
        return true
    }

    package mutating func seek(to timestamp: Timestamp) -> Bool {
        if index >= samples.count { return false }
        if index < 0 { index = 0 }
        if samples[index].timestamp >= timestamp { return true }
        // Binary search the remainder: seek never moves backwards.
        var low = index + 1, high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].timestamp < timestamp { low = mid + 1 } else { high = mid }
        }
        index = low
        return index < samples.count
    }

    package var current: (timestamp: Timestamp, value: Double) {
        let sample = samples[index]
        return (sample.timestamp, sample.value)
    }
}

/// A series set over an array of series.
package struct ArraySeriesSet: SeriesSet {
    private var series: [any Series]
    private var index = 0
    package var annotations: Annotations

    package init(_ series: [any Series], annotations: Annotations = Annotations()) {
        self.series = series
        self.annotations = annotations
    }

    package mutating func next() throws -> (any Series)? {
        guard index < series.count else { return nil }
        defer { index += 1 }
        return series[index]
    }
}
