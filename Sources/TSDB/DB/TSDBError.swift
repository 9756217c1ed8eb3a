/// The TSDB module's one error: an extensible kind, a message, where it happened, and a cause.
///
/// `description` is one line, `where: what: why`, e.g.
/// `chunk: corrupt chunk: chunk ends inside sample 7 of 120` or, for the WAL (which also sets
/// `segment` and `offset`), `wal 00000042 at byte 1048576: corruption: record checksum mismatch (…)`.
package struct TSDBError: Error, Sendable, CustomStringConvertible {
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case corruptChunk = "corrupt chunk"
            case io = "i/o error"
            case closed = "storage closed"
            case invalidOptions = "invalid options"
            case notSupported = "not supported"
            case corruptBlock = "corrupt block"
            case corruption = "corruption"
            case invalidRecord = "invalid record"
            case invalidArgument = "invalid argument"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Chunk bytes ended early or hold an impossible encoding.
        package static let corruptChunk = Kind(.corruptChunk)
        /// A file operation failed.
        package static let io = Kind(.io)
        /// The database (or its WAL) was used after `close()`.
        package static let closed = Kind(.closed)
        /// `TSDBOptions` failed validation.
        package static let invalidOptions = Kind(.invalidOptions)
        /// The operation needs a component that is not available yet.
        package static let notSupported = Kind(.notSupported)
        /// A block's index, chunk file, meta.json or tombstones failed validation.
        package static let corruptBlock = Kind(.corruptBlock)
        /// WAL bytes on disk are damaged or torn: short read, checksum mismatch, bad fragment order.
        package static let corruption = Kind(.corruption)
        /// A WAL record payload does not decode (bad type, short fields, varint overflow).
        package static let invalidRecord = Kind(.invalidRecord)
        /// The caller passed something unusable (e.g. a WAL segment size below one page).
        package static let invalidArgument = Kind(.invalidArgument)

        package var description: String { base.rawValue }
    }

    package var kind: Kind
    package var message: String
    /// What the error is about: a file path, "chunk", "head", "wal 00000042 at byte 10".
    package var location: String
    /// The WAL segment index, when the error is about one segment.
    package var segment: Int?
    /// The byte offset inside the segment (or inside the record, for record codec errors).
    package var offset: Int?
    package var underlying: (any Error)?

    package init(_ kind: Kind, _ message: String, location: String? = nil, underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.location = location ?? (kind == .corruptChunk ? "chunk" : "tsdb")
        self.underlying = underlying
    }

    /// An error about the WAL: the location reads `wal`, `wal 00000042` or
    /// `wal 00000042 at byte 1048576` from `segment` and `offset`.
    package static func wal(kind: Kind, segment: Int? = nil, offset: Int? = nil, message: String,
                            underlying: (any Error)? = nil) -> TSDBError {
        var location = "wal"
        if let segment { location += " " + WALSegmentName.name(segment) }
        if let offset { location += " at byte \(offset)" }
        var error = TSDBError(kind, message, location: location, underlying: underlying)
        error.segment = segment
        error.offset = offset
        return error
    }

    package var description: String {
        var line = "\(location): \(kind): \(message)"
        if let underlying { line += ": \(underlying)" }
        return line
    }
}
