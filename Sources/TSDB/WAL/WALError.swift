/// An error from the WAL or its record codec: a kind to switch on, the segment and byte offset
/// where it happened (when known), a one-line message and an optional underlying error.
///
/// `description` is one line, `wal 00000042 at byte 1048576: record checksum mismatch (…)`.
package struct WALError: Error, Sendable, CustomStringConvertible {
    /// Extensible set of kinds: new kinds can be added without breaking `switch`-free callers.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case corruption, io, invalidRecord, invalidArgument, closed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Bytes on disk are damaged or torn: short read, checksum mismatch, bad fragment order.
        package static let corruption = Kind(.corruption)
        /// A system call failed (open, write, fsync, …); `underlying` holds the errno.
        package static let io = Kind(.io)
        /// A record payload does not decode (bad type, short fields, varint overflow).
        package static let invalidRecord = Kind(.invalidRecord)
        /// The caller passed something unusable (e.g. a segment size below one page).
        package static let invalidArgument = Kind(.invalidArgument)
        /// The WAL was closed.
        package static let closed = Kind(.closed)

        package var description: String {
            switch base {
            case .corruption: "corruption"
            case .io: "io"
            case .invalidRecord: "invalid record"
            case .invalidArgument: "invalid argument"
            case .closed: "closed"
            }
        }
    }

    package var kind: Kind
    /// The segment index, or nil when the error is not about one segment.
    package var segment: Int?
    /// The byte offset inside the segment (or inside the record, for codec errors), if known.
    package var offset: Int?
    package var message: String
    package var underlying: (any Error & Sendable)?

    package init(kind: Kind, segment: Int? = nil, offset: Int? = nil, message: String,
                 underlying: (any Error & Sendable)? = nil) {
        self.kind = kind
        self.segment = segment
        self.offset = offset
        self.message = message
        self.underlying = underlying
    }

    package var description: String {
        var location = "wal"
        if let segment { location += " " + WALSegmentName.name(segment) }
        if let offset { location += " at byte \(offset)" }
        return location + ": " + message
    }
}

/// Segment file names: the index as eight decimal digits (`00000042`).
package enum WALSegmentName {
    package static func name(_ index: Int) -> String {
        let digits = String(index)
        return digits.count >= 8 ? digits : String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The index named by `name`, or nil when it is not all decimal digits.
    package static func index(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(name)
    }
}
