import PharosCore
import Synchronization

/// Interns label strings so that series with equal names or values share one string buffer
/// (the role of Prometheus' symbol tables). Strings of 15 UTF-8 bytes or fewer are stored
/// inline by Swift and need no sharing, so only longer ones enter the table.
///
/// Thread-safe. Interning only affects memory, never equality: a string dropped from the
/// table by `retain(only:)` while a series still uses it stays valid, it is just not shared
/// with series created later.
final class SymbolTable: Sendable {
    private let strings = Mutex<Set<BytewiseString>>([])

    /// Longest string Swift keeps inline on 64-bit platforms.
    static let inlineLimit = 15

    init() {}

    /// `labels` with each long name and value replaced by the table's equal copy.
    func intern(_ labels: Labels) -> Labels {
        strings.withLock { table in
            Labels(sortedUnchecked: labels.map { label in
                Label(name: Self.intern(label.name, in: &table), value: Self.intern(label.value, in: &table))
            })
        }
    }

    /// Number of strings in the table.
    var count: Int { strings.withLock { $0.count } }

    /// Rebuilds the table from the strings `labels` still use, so strings of removed series
    /// are released.
    func retain(only labels: some Sequence<Labels>) {
        var table = Set<BytewiseString>()
        for set in labels {
            for label in set {
                if label.name.utf8.count > Self.inlineLimit { table.insert(BytewiseString(label.name)) }
                if label.value.utf8.count > Self.inlineLimit { table.insert(BytewiseString(label.value)) }
            }
        }
        strings.withLock { $0 = table }
    }

    private static func intern(_ string: String, in table: inout Set<BytewiseString>) -> String {
        guard string.utf8.count > inlineLimit else { return string }
        // Keyed by bytes: an NFD spelling must never come back as the NFC one.
        return table.insert(BytewiseString(string)).memberAfterInsert.string
    }
}
