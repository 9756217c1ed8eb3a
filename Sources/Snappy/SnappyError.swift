/// The one error type of the Snappy module: a corrupt or truncated block, or a declared length
/// above the caller's limit.
///
/// `description` is one line, `at byte 12: copy offset 9 is outside the 4 bytes decoded so far`;
/// `offset` is the byte offset into the block where the problem was found.
package struct SnappyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers (switch with a default).
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case corrupt, limit }
        private let base: Base
        /// The block is truncated, or an element's length or offset is impossible.
        package static let corrupt = Kind(base: .corrupt)
        /// The declared decoded length exceeds `maxDecodedSize`.
        package static let limit = Kind(base: .limit)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    package var message: String
    /// Byte offset into the block.
    package var offset: Int

    package init(_ kind: Kind, _ message: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    package var description: String { "at byte \(offset): \(message)" }
}
