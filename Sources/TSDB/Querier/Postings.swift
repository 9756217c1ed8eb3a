/// Set operations over sorted, duplicate-free lists of series refs (postings lists).
package enum Postings {
    /// Refs in both lists.
    package static func intersect(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(min(a.count, b.count))
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    /// Intersection of all lists, smallest first; empty input gives an empty result.
    package static func intersect(_ lists: [[UInt64]]) -> [UInt64] {
        let bySize = lists.sorted { $0.count < $1.count }
        guard var result = bySize.first else { return [] }
        for list in bySize.dropFirst() where !result.isEmpty {
            result = intersect(result, list)
        }
        return result
    }

    /// Refs in either list.
    package static func merge(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) {
                out.append(a[i])
                i += 1
            } else if i == a.count || b[j] < a[i] {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
                j += 1
            }
        }
        return out
    }

    /// Union of all lists, merged pairwise so the cost stays O(n log k).
    package static func merge(_ lists: [[UInt64]]) -> [UInt64] {
        var level = lists.filter { !$0.isEmpty }
        guard !level.isEmpty else { return [] }
        while level.count > 1 {
            var next: [[UInt64]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index < level.count {
                next.append(index + 1 < level.count ? merge(level[index], level[index + 1]) : level[index])
                index += 2
            }
            level = next
        }
        return level[0]
    }

    /// Refs in `a` and not in `b`.
    package static func subtract(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        guard !b.isEmpty else { return a }
        var out: [UInt64] = []
        out.reserveCapacity(a.count)
        var j = 0
        for ref in a {
            while j < b.count && b[j] < ref { j += 1 }
            if j < b.count && b[j] == ref { continue }
            out.append(ref)
        }
        return out
    }
}
