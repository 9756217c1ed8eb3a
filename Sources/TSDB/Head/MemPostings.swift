import PharosCore
import Synchronization

/// The head's inverted index: label name → value → sorted series refs.
///
/// Thread-safe. Lists handed out are copies (copy-on-write), safe to read while the index
/// changes. The empty name is reserved for the list of all series. Keys compare by UTF-8 bytes.
final class MemPostings: Sendable {
    private let index = Mutex<[BytewiseString: [BytewiseString: [UInt64]]]>([:])
    private static let allKey: BytewiseString = ""

    init() {}

    func add(_ ref: UInt64, _ labels: Labels) {
        index.withLock { index in
            Self.insert(ref, into: &index[Self.allKey, default: [:]][Self.allKey, default: []])
            for label in labels {
                Self.insert(ref, into: &index[BytewiseString(label.name), default: [:]][BytewiseString(label.value), default: []])
            }
        }
    }

    /// Removes many series at once: each affected list is filtered a single time, so dropping
    /// k series costs O(total length of their lists), not O(k × list length).
    func remove(_ entries: [(ref: UInt64, labels: Labels)]) {
        guard !entries.isEmpty else { return }
        var byList: [BytewiseString: [BytewiseString: Set<UInt64>]] = [:]
        for entry in entries {
            byList[Self.allKey, default: [:]][Self.allKey, default: []].insert(entry.ref)
            for label in entry.labels {
                byList[BytewiseString(label.name), default: [:]][BytewiseString(label.value), default: []].insert(entry.ref)
            }
        }
        index.withLock { index in
            for (name, values) in byList {
                for (value, refs) in values {
                    guard let list = index[name]?[value] else { continue }
                    let kept = list.filter { !refs.contains($0) }
                    index[name]?[value] = kept.isEmpty ? nil : kept
                }
                if index[name]?.isEmpty == true { index[name] = nil }
            }
        }
    }

    func postings(_ name: String, _ value: String) -> [UInt64] {
        index.withLock { $0[BytewiseString(name)]?[BytewiseString(value)] ?? [] }
    }

    func all() -> [UInt64] { postings("", "") }

    /// Sorted values of `name`.
    func values(_ name: String) -> [String] {
        guard !name.isEmpty else { return [] }
        return index.withLock { $0[BytewiseString(name)].map { Array($0.keys) } ?? [] }.sorted().map(\.string)
    }

    /// Sorted label names.
    func names() -> [String] {
        index.withLock { Array($0.keys) }.filter { $0 != Self.allKey }.sorted().map(\.string)
    }

    private static func position(of ref: UInt64, in list: [UInt64]) -> Int? {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < ref { low = mid + 1 } else { high = mid }
        }
        return low < list.count ? low : nil
    }

    private static func insert(_ ref: UInt64, into list: inout [UInt64]) {
        if let last = list.last, last >= ref {
            let position = position(of: ref, in: list) ?? list.count
            if position < list.count && list[position] == ref { return }
            list.insert(ref, at: position)
        } else {
            list.append(ref)
        }
    }
}
