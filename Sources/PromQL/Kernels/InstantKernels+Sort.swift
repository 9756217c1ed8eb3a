import PharosCore

/// Orderings used by `sort`, `sort_desc`, `sort_by_label(_desc)`, `topk` and `bottomk`.
extension InstantKernels {
    /// `sort` (`descending == false`) and `sort_desc` order: by value, NaN always last.
    /// Equal values keep no particular order (Prometheus' sort is not stable either).
    package static func valueSortsBefore(_ a: Double, _ b: Double, descending: Bool) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return descending ? a > b : a < b
    }

    /// `topk` (`top == true`) / `bottomk` selection: whether `candidate` should displace
    /// `incumbent`, the weakest value currently kept. NaN loses to every number both ways.
    /// Order the kept values with `valueSortsBefore(_:_:descending: top)` for the output.
    package static func rankPrefers(_ candidate: Double, over incumbent: Double, top: Bool) -> Bool {
        if incumbent.isNaN { return !candidate.isNaN }
        return top ? incumbent < candidate : incumbent > candidate
    }

    /// `sort_by_label(v, labels…)` order: natural order of each listed label's value (absent
    /// is ""), then the full label sets (Prometheus' `labels.Compare`) to break ties.
    /// `sort_by_label_desc` reverses both steps.
    package static func labelsSortBefore(_ a: Labels, _ b: Labels, by names: [String], descending: Bool) -> Bool {
        for name in names {
            let x = a[name], y = b[name]
            if x == y { continue }
            return naturalLess(x, y) != descending
        }
        let order = Labels.compare(a, b)
        return descending ? order > 0 : order < 0
    }

    /// Natural ("version") string order after `facette/natsort`, which Prometheus uses: the
    /// strings are cut into runs of ASCII digits and of non-digits; runs that are both numbers
    /// compare numerically, others byte-wise; a string that is a prefix of the other sorts first.
    /// Meant for unequal strings (for equal ones it returns true, like the original).
    package static func naturalLess(_ a: String, _ b: String) -> Bool {
        let chunksA = chunks(a), chunksB = chunks(b)
        for (i, chunkA) in chunksA.enumerated() {
            guard i < chunksB.count else { return false }
            let chunkB = chunksB[i]
            if let numberA = Int(chunkA), let numberB = Int(chunkB) {
                if numberA != numberB { return numberA < numberB }
            } else if chunkA != chunkB {
                return chunkA.utf8.lexicographicallyPrecedes(chunkB.utf8)
            }
            if i == chunksA.count - 1 { return true }
            if i == chunksB.count - 1 { return false }
        }
        return false
    }

    private static func chunks(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var inDigits: Bool?
        for index in text.indices {
            let isDigit = text[index].isASCII && text[index].isNumber
            if let current = inDigits, current != isDigit {
                result.append(text[start..<index])
                start = index
            }
            inDigits = isDigit
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }
}
