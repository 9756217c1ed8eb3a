import PharosCore

/// One element of an instant vector during evaluation.
struct VectorElement {
    var labels: Labels
    var value: Double
    /// The sample's own timestamp where it matters (`timestamp()`), else the step time.
    var timestamp: Timestamp
    /// Delayed name removal: `__name__` is still present but goes at the end of the query.
    var dropName: Bool

    init(labels: Labels, value: Double, timestamp: Timestamp = 0, dropName: Bool = false) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.dropName = dropName
    }
}

typealias Vector = [VectorElement]

/// A series of a range vector during evaluation: labels plus samples in time order.
struct EvalSeries {
    var labels: Labels
    var samples: [Sample]
    var dropName = false
}

/// What evaluating an expression yields: one value per step, or a range vector.
enum EvalValue {
    /// One scalar per step.
    case scalar([Double])
    /// One instant vector per step.
    case vector([Vector])
    /// A constant string.
    case string(String)
    /// A range vector; only at the top of an instant query.
    case matrix([EvalSeries])
}

/// The evaluation window: `stepCount` steps from `start` every `interval` ms.
struct StepRange {
    var start: Timestamp
    var end: Timestamp
    var interval: Int64

    var stepCount: Int { interval <= 0 ? 1 : Int((end - start) / interval) + 1 }

    func time(_ index: Int) -> Timestamp { start + Int64(index) * interval }
}

extension Vector {
    /// True when two elements share a label set (Prometheus' `ContainsSameLabelset`).
    var hasDuplicateLabelsets: Bool {
        if count < 2 { return false }
        var seen = Set<Labels>(minimumCapacity: count)
        for element in self where !seen.insert(element.labels).inserted { return true }
        return false
    }
}
