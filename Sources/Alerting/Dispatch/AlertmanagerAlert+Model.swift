import Foundation
import PharosCore

/// Alertmanager's `model.Fingerprint` of a label set: FNV-1a 64 over the sorted names and
/// values, each followed by the 0xff separator; printed as 16 hex digits.
package struct AlertFingerprint: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    package var raw: UInt64
    package init(raw: UInt64) { self.raw = raw }

    package init(_ labels: Labels) {
        guard !labels.isEmpty else {
            raw = 14_695_981_039_346_656_037
            return
        }
        var hash: UInt64 = 14_695_981_039_346_656_037
        @inline(__always) func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        for label in labels {  // `Labels` iterate sorted by name
            for byte in label.name.utf8 { add(byte) }
            add(0xff)
            for byte in label.value.utf8 { add(byte) }
            add(0xff)
        }
        raw = hash
    }

    package var description: String {
        let hex = String(raw, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    package init?(hex: String) {
        guard let value = UInt64(hex, radix: 16) else { return nil }
        raw = value
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.raw < rhs.raw }
}

extension AlertmanagerAlert {
    /// Alertmanager's `Alert.Merge`: the younger alert (by `updatedAt`) wins, keeping the
    /// earliest `startsAt`; the latest explicit resolution, or a later non-timeout `endsAt`, is kept.
    package func merged(with other: AlertmanagerAlert) -> AlertmanagerAlert {
        if other.updatedAt < updatedAt { return other.merged(with: self) }
        var result = other
        if startsAt < other.startsAt { result.startsAt = startsAt }
        if other.isResolved(at: other.updatedAt) {
            if isResolved(at: updatedAt), endsAt > other.endsAt { result.endsAt = endsAt }
        } else if endsAt > other.endsAt, !timeout {
            result.endsAt = endsAt
        }
        return result
    }

    /// Alertmanager's `provider/mem` rule: merge a re-posted alert into the stored one only when
    /// their activity ranges overlap; otherwise the new one replaces it.
    package static func stored(old: AlertmanagerAlert?, new: AlertmanagerAlert) -> AlertmanagerAlert {
        guard let old else { return new }
        let overlaps = (new.endsAt > old.startsAt && new.endsAt < old.endsAt)
            || (new.startsAt > old.startsAt && new.startsAt < old.endsAt)
        return overlaps ? old.merged(with: new) : new
    }

    /// Alertmanager's dispatch order (`alertsSlice.Less`): by `job`, then `instance`, then label sets.
    package static func dispatchOrder(_ a: AlertmanagerAlert, _ b: AlertmanagerAlert) -> Bool {
        for key in ["job", "instance"] {
            let left = a.labels.value(of: key), right = b.labels.value(of: key)
            if left == nil, right == nil { continue }
            guard let left else { return false }
            guard let right else { return true }
            if left != right { return left < right }
        }
        return labelSetBefore(a.labels, b.labels)
    }

    /// `model.LabelSet.Before`.
    static func labelSetBefore(_ a: Labels, _ b: Labels) -> Bool {
        if a.count != b.count { return a.count < b.count }
        let names = (a.map(\.name) + b.map(\.name)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            guard let left = a.value(of: name) else { return true }
            guard let right = b.value(of: name) else { return false }
            if left != right { return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8)) }
        }
        return false
    }
}

extension Labels {
    /// `model.LabelSet.String()`: `{a="1", b="2"}`, the pairs sorted as strings.
    package var alertmanagerString: String {
        let pairs = map { "\($0.name)=\(goQuote($0.value))" }.sorted()
        return "{" + pairs.joined(separator: ", ") + "}"
    }
}

extension Route {
    /// The labels of `labels` this route groups by (`getGroupLabels`).
    package func groupLabels(for labels: Labels) -> Labels {
        if options.groupByAll { return labels }
        return labels.keeping(options.groupBy)
    }

    /// Alertmanager's aggregation-group key: `routeKey:groupLabels`.
    package func groupKey(groupLabels: Labels) -> String { key + ":" + groupLabels.alertmanagerString }
}
