/// One label: a name and a value. Names follow Prometheus (UTF-8 allowed since 3.0).
package struct Label: Hashable, Sendable, Comparable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    // Equality, hash and order by UTF-8 bytes, as Go compares strings (see BytewiseString).
    package static func == (lhs: Label, rhs: Label) -> Bool {
        lhs.name.bytewiseEquals(rhs.name) && lhs.value.bytewiseEquals(rhs.value)
    }

    package func hash(into hasher: inout Hasher) {
        name.hashBytes(into: &hasher)
        value.hashBytes(into: &hasher)
    }

    package static func < (lhs: Label, rhs: Label) -> Bool {
        let byName = lhs.name.bytewiseCompare(rhs.name)
        return byName != 0 ? byName < 0 : lhs.value.bytewiseLess(rhs.value)
    }
}

/// An immutable label set, always sorted by name with unique names and no empty values.
///
/// Ordering of two `Labels` is Prometheus' `labels.Compare`: pairwise by name then value,
/// shorter set first on a common prefix. Names and values compare, hash and sort by their
/// UTF-8 bytes as in Go, so NFC and NFD spellings are different label sets. Cheap to copy.
package struct Labels: Hashable, Sendable, Comparable, RandomAccessCollection, CustomStringConvertible {
    /// The reserved label that carries the metric name.
    package static let metricName = "__name__"

    package private(set) var pairs: [Label]

    package static let empty = Labels()

    package init() { pairs = [] }

    /// Builds a set from arbitrary pairs: sorts, drops empty values; the last duplicate name wins.
    package init(_ labels: [Label]) {
        if Self.isCanonical(labels) {
            pairs = labels
            return
        }
        var sorted = labels.filter { !$0.value.isEmpty }
        if sorted.count > 1 {
            // Stable, so the last of duplicate names stays last.
            sorted = sorted.enumerated().sorted {
                let order = $0.element.name.bytewiseCompare($1.element.name)
                return order != 0 ? order < 0 : $0.offset < $1.offset
            }.map(\.element)
            var unique: [Label] = []
            unique.reserveCapacity(sorted.count)
            for label in sorted {
                if let last = unique.last, last.name.bytewiseEquals(label.name) {
                    unique[unique.count - 1] = label
                } else {
                    unique.append(label)
                }
            }
            sorted = unique
        }
        pairs = sorted
    }

    /// Sorted by name, unique names, no empty value: most label sets arrive so (Go writes
    /// JSON objects with sorted keys), and need no copy.
    private static func isCanonical(_ labels: [Label]) -> Bool {
        for i in labels.indices {
            if labels[i].value.isEmpty { return false }
            if i > 0, labels[i - 1].name.bytewiseCompare(labels[i].name) >= 0 { return false }
        }
        return true
    }

    /// Wraps pairs the caller guarantees are sorted by name, unique and non-empty.
    package init(sortedUnchecked pairs: [Label]) { self.pairs = pairs }

    package init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label(name: $0.key, value: $0.value) })
    }

    package var startIndex: Int { pairs.startIndex }
    package var endIndex: Int { pairs.endIndex }
    package subscript(position: Int) -> Label { pairs[position] }

    /// The value of `name`, or "" when absent (Prometheus' `Labels.Get`).
    package subscript(name: String) -> String {
        get { value(of: name) ?? "" }
    }

    package func value(of name: String) -> String? {
        // Sets are small: a linear scan beats binary search below ~16 labels.
        if pairs.count < 16 {
            for label in pairs where label.name.bytewiseEquals(name) { return label.value }
            return nil
        }
        var low = 0, high = pairs.count
        while low < high {
            let mid = (low + high) / 2
            if pairs[mid].name.bytewiseLess(name) { low = mid + 1 } else { high = mid }
        }
        return low < pairs.count && pairs[low].name.bytewiseEquals(name) ? pairs[low].value : nil
    }

    package func has(_ name: String) -> Bool { value(of: name) != nil }

    package var metricName: String? { value(of: Labels.metricName) }

    /// A copy with `name` set to `value`; an empty value removes the label.
    package func setting(_ name: String, to value: String) -> Labels {
        var builder = LabelsBuilder(self)
        builder.set(name, value)
        return builder.labels()
    }

    package func removing(_ names: some Sequence<String>) -> Labels {
        let drop = Set(names.map { BytewiseString($0) })
        return Labels(sortedUnchecked: pairs.filter { !drop.contains(BytewiseString($0.name)) })
    }

    package func removingMetricName() -> Labels {
        guard has(Labels.metricName) else { return self }
        return Labels(sortedUnchecked: pairs.filter { !$0.name.bytewiseEquals(Labels.metricName) })
    }

    /// Only the labels whose names are in `names`.
    package func keeping(_ names: some Sequence<String>) -> Labels {
        let wanted = Array(names)
        // A few names (the usual `by`/`group_by`) are found faster by looking than by hashing.
        if wanted.count <= 8 {
            return Labels(sortedUnchecked: pairs.filter { label in wanted.contains { $0.bytewiseEquals(label.name) } })
        }
        let keep = Set(wanted.map { BytewiseString($0) })
        return Labels(sortedUnchecked: pairs.filter { keep.contains(BytewiseString($0.name)) })
    }

    package static func < (lhs: Labels, rhs: Labels) -> Bool { compare(lhs, rhs) < 0 }

    /// Prometheus' `labels.Compare`.
    package static func compare(_ lhs: Labels, _ rhs: Labels) -> Int {
        let count = Swift.min(lhs.pairs.count, rhs.pairs.count)
        for index in 0..<count {
            let a = lhs.pairs[index], b = rhs.pairs[index]
            let byName = a.name.bytewiseCompare(b.name)
            if byName != 0 { return byName }
            let byValue = a.value.bytewiseCompare(b.value)
            if byValue != 0 { return byValue }
        }
        return lhs.pairs.count - rhs.pairs.count
    }

    /// `{a="1", b="2"}` with the metric name first outside the braces, as Prometheus prints.
    package var description: String {
        var out = ""
        var rest = pairs[...]
        if let name = metricName {
            out = name
            rest = pairs.filter { !$0.name.bytewiseEquals(Labels.metricName) }[...]
            if rest.isEmpty { return out }
        }
        out += "{"
        out += rest.map { "\($0.name)=\(goQuote($0.value))" }.joined(separator: ", ")
        out += "}"
        return out
    }
}

/// Mutable staging for a label set: set/delete in any order, then `labels()` sorts once.
package struct LabelsBuilder: Sendable {
    private var values: [BytewiseString: String]

    package init(_ base: Labels = .empty) {
        values = Dictionary(uniqueKeysWithValues: base.pairs.map { (BytewiseString($0.name), $0.value) })
    }

    package func get(_ name: String) -> String { values[BytewiseString(name)] ?? "" }

    /// Sets `name`; an empty value deletes it, as in Prometheus.
    package mutating func set(_ name: String, _ value: String) {
        values[BytewiseString(name)] = value.isEmpty ? nil : value
    }

    package mutating func delete(_ name: String) { values[BytewiseString(name)] = nil }

    package mutating func keep(_ names: Set<String>) {
        let kept = Set(names.map { BytewiseString($0) })
        values = values.filter { kept.contains($0.key) }
    }

    package var names: [String] { values.keys.map(\.string) }

    package func labels() -> Labels {
        Labels(sortedUnchecked: values.sorted { $0.key < $1.key }.map { Label(name: $0.key.string, value: $0.value) })
    }
}

extension Labels {
    /// Valid legacy label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    package static func isValidLegacyName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        guard first == UInt8(ascii: "_") || (first | 0x20 >= UInt8(ascii: "a") && first | 0x20 <= UInt8(ascii: "z")) else {
            return false
        }
        for byte in name.utf8.dropFirst() {
            let isLetter = byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if !(isLetter || isDigit || byte == UInt8(ascii: "_")) { return false }
        }
        return true
    }

    /// Valid legacy metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    package static func isValidLegacyMetricName(_ name: String) -> Bool {
        isValidLegacyName(name.replacingColons())
    }
}

extension String {
    fileprivate func replacingColons() -> String {
        String(decoding: utf8.map { $0 == UInt8(ascii: ":") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }
}
