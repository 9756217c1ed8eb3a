/// The TSDB module's error: an extensible kind, a message, where it happened, and a cause.
///
/// `description` is one line, `where: what: why`, e.g.
/// `chunk: corrupt chunk: chunk ends inside sample 7 of 120`.
package struct TSDBError: Error, Sendable, CustomStringConvertible {
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case corruptChunk = "corrupt chunk"
            case io = "i/o error"
            case closed = "storage closed"
            case invalidOptions = "invalid options"
            case notSupported = "not supported"
            case corruptBlock = "corrupt block"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Chunk bytes ended early or hold an impossible encoding.
        package static let corruptChunk = Kind(.corruptChunk)
        /// A file operation failed.
        package static let io = Kind(.io)
        /// The database was used after `close()`.
        package static let closed = Kind(.closed)
        /// `TSDBOptions` failed validation.
        package static let invalidOptions = Kind(.invalidOptions)
        /// The operation needs a component that is not available yet.
        package static let notSupported = Kind(.notSupported)
        /// A block's index, chunk file, meta.json or tombstones failed validation.
        package static let corruptBlock = Kind(.corruptBlock)

        package var description: String { base.rawValue }
    }

    package var kind: Kind
    package var message: String
    /// What the error is about: a file path, "chunk", "head", "wal 00000042 at byte 10".
    package var location: String
    package var underlying: (any Error)?

    package init(_ kind: Kind, _ message: String, location: String? = nil, underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.location = location ?? (kind == .corruptChunk ? "chunk" : "tsdb")
        self.underlying = underlying
    }

    package var description: String {
        var line = "\(location): \(kind): \(message)"
        if let underlying { line += ": \(underlying)" }
        return line
    }
}
