/// Why a `pharos` subcommand could not do its work. The one error type of PharosCLI.
///
/// `description` is one line, `where: what: why`, e.g.
/// `data/01HX…: cannot open block: corrupt block: index: bad magic number`.
package struct CLIError: Error, Sendable, CustomStringConvertible {
    /// Extensible kind: new kinds may be added without breaking callers.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notFound = "not found"
            case io = "i/o error"
            case invalidArgument = "invalid argument"
            case storage = "storage error"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A file, folder or block the command needs does not exist.
        package static let notFound = Kind(.notFound)
        /// Reading or copying a file failed.
        package static let io = Kind(.io)
        /// A flag or argument has an unusable value.
        package static let invalidArgument = Kind(.invalidArgument)
        /// The TSDB refused to open or read.
        package static let storage = Kind(.storage)

        package var description: String { base.rawValue }
    }

    package var kind: Kind
    package var message: String
    /// What the error is about: a path or a block ID.
    package var location: String
    package var underlying: (any Error)?

    package init(_ kind: Kind, _ message: String, location: String, underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.underlying = underlying
    }

    package var description: String {
        var out = location.isEmpty ? message : "\(location): \(message)"
        if let underlying { out += ": \(underlying)" }
        return out
    }
}

/// What a subcommand printed and how it ended, so tests can check it without a process.
package struct CommandOutput: Sendable, Equatable {
    /// Where a chunk of text goes.
    package enum Stream: Sendable, Equatable { case standardOutput, standardError }

    /// Everything printed, in order, with its stream (so a terminal sees promtool's interleaving).
    package private(set) var chunks: [(stream: Stream, text: String)] = []
    /// The process exit code: 0 success, 1 failure.
    package var exitCode: Int32 = 0

    package init(standardOutput: String = "", standardError: String = "", exitCode: Int32 = 0) {
        if !standardOutput.isEmpty { chunks.append((.standardOutput, standardOutput)) }
        if !standardError.isEmpty { chunks.append((.standardError, standardError)) }
        self.exitCode = exitCode
    }

    /// All text for standard output.
    package var standardOutput: String { text(of: .standardOutput) }
    /// All text for standard error.
    package var standardError: String { text(of: .standardError) }

    private func text(of stream: Stream) -> String {
        chunks.filter { $0.stream == stream }.map(\.text).joined()
    }

    mutating func out(_ line: String) { chunks.append((.standardOutput, line + "\n")) }
    mutating func err(_ line: String) { chunks.append((.standardError, line + "\n")) }

    package static func == (a: Self, b: Self) -> Bool {
        a.exitCode == b.exitCode && a.chunks.map(\.stream) == b.chunks.map(\.stream) && a.chunks.map(\.text) == b.chunks.map(\.text)
    }
}
