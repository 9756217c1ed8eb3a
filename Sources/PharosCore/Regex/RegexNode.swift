/// The parse tree of an RE2 regular expression (Go's `syntax.Regexp`, unsimplified).
///
/// Scalars are `UInt32` so that escapes such as `\x{D800}` (which can never match a Swift
/// string) still parse as in Go. Non-capturing groups and flag groups leave no node.
indirect enum RegexNode: Sendable {
    case empty
    case noMatch
    /// One scalar; `fold` when `(?i)` applied and the scalar has case variants.
    case literal(UInt32, fold: Bool)
    case charClass(RegexCharClass)
    case anyChar
    case anyCharNotNL
    case beginLine, endLine, beginText, endText, wordBoundary, noWordBoundary
    case capture(index: Int, name: String?, RegexNode)
    /// `max == -1` means unbounded.
    case `repeat`(RegexNode, min: Int, max: Int, greedy: Bool)
    case concat([RegexNode])
    case alternate([RegexNode])
}

extension RegexNode {
    /// Go's `repeatIsValid`: nested counted repetitions may not multiply past `limit`.
    func repeatIsValid(_ limit: Int) -> Bool {
        switch self {
        case .repeat(let sub, let min, let max, _):
            var n = limit
            var m = max
            if m == 0 { return true }
            if m < 0 { m = min }
            if m > n { return false }
            if m > 0 { n /= m }
            return sub.repeatIsValid(n)
        case .capture(_, _, let sub): return sub.repeatIsValid(limit)
        case .concat(let subs), .alternate(let subs): return subs.allSatisfy { $0.repeatIsValid(limit) }
        default: return true
        }
    }
}

/// A set of scalars as sorted, non-overlapping, non-adjacent closed ranges.
struct RegexCharClass: Sendable, Hashable {
    private(set) var ranges: [ClosedRange<UInt32>]

    static let maxScalar: UInt32 = 0x10FFFF

    init(_ ranges: [ClosedRange<UInt32>] = []) {
        self.ranges = Self.clean(ranges)
    }

    /// Sorts and merges overlapping or adjacent ranges.
    static func clean(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        guard input.count > 1 else { return input }
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = out.last, range.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    var isEmpty: Bool { ranges.isEmpty }
    var isFull: Bool { ranges.count == 1 && ranges[0] == 0...Self.maxScalar }

    func negated() -> RegexCharClass {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { out.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
            if range.upperBound == Self.maxScalar { next = Self.maxScalar + 1 }
        }
        if next <= Self.maxScalar { out.append(next...Self.maxScalar) }
        var result = RegexCharClass()
        result.ranges = out
        return result
    }

    func union(_ other: RegexCharClass) -> RegexCharClass { RegexCharClass(ranges + other.ranges) }

    /// The class closed under simple case folding (Go's `appendFoldedRange` over each range).
    func caseFolded() -> RegexCharClass {
        var extra: [ClosedRange<UInt32>] = []
        for orbit in RegexCaseFolding.allOrbits where orbit.contains(where: contains) {
            for member in orbit { extra.append(member...member) }
        }
        return extra.isEmpty ? self : RegexCharClass(ranges + extra)
    }

    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 0x80, let first = ranges.first, scalar < first.lowerBound { return false }
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if scalar < range.lowerBound { high = mid } else if scalar > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }

    /// The only scalar in the class, when it has exactly one.
    var singleScalar: UInt32? {
        ranges.count == 1 && ranges[0].lowerBound == ranges[0].upperBound ? ranges[0].lowerBound : nil
    }
}
