import Foundation

// Label names and values are compared as Go compares strings: by their UTF-8 bytes. Swift's
// `String ==`, `<` and hashing use canonical equivalence instead, under which the NFC and NFD
// spellings of "é" are one string; Prometheus keeps them as two series, and so must we.

extension String {
    /// True when both strings have the same UTF-8 bytes (Go's `==`).
    @inlinable
    package func bytewiseEquals(_ other: String) -> Bool {
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        return withBytes { a in other.withBytes { b in count == 0 || memcmp(a.baseAddress!, b.baseAddress!, count) == 0 } }
    }

    /// Go's string comparison: negative, zero or positive as `self` sorts before, with or after `other`.
    @inlinable
    package func bytewiseCompare(_ other: String) -> Int {
        withBytes { a in
            other.withBytes { b in
                let common = Swift.min(a.count, b.count)
                if common > 0 {
                    let order = memcmp(a.baseAddress!, b.baseAddress!, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
    }

    @inlinable
    package func bytewiseLess(_ other: String) -> Bool { bytewiseCompare(other) < 0 }

    /// Feeds the UTF-8 bytes (and their count, so concatenations differ) to `hasher`.
    @inlinable
    package func hashBytes(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8.count)
    }

    @inlinable
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}

/// A `String` whose equality, hash and order are its UTF-8 bytes': the key type for maps and
/// sets of label names and values (postings, symbol tables, builders).
package struct BytewiseString: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package let string: String

    @inlinable package init(_ string: String) { self.string = string }
    package init(stringLiteral value: String) { string = value }

    @inlinable package static func == (lhs: Self, rhs: Self) -> Bool { lhs.string.bytewiseEquals(rhs.string) }
    @inlinable package static func < (lhs: Self, rhs: Self) -> Bool { lhs.string.bytewiseLess(rhs.string) }
    @inlinable package func hash(into hasher: inout Hasher) { string.hashBytes(into: &hasher) }

    package var description: String { string }
}
