#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a collector could not report: a file that is missing or unreadable, or content that does
/// not parse. One line: `path: what`.
package struct HostMetricsError: Error, CustomStringConvertible, Sendable {
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case notFound, io, parse, noData }
        private let base: Base
        /// The file (or directory) does not exist.
        package static let notFound = Kind(base: .notFound)
        /// A system call failed for another reason.
        package static let io = Kind(base: .io)
        /// The content is not what the kernel writes.
        package static let parse = Kind(base: .parse)
        /// Nothing to report here (node_exporter's `ErrNoData`); still a failed scrape.
        package static let noData = Kind(base: .noData)
        package var description: String { "\(base)" }
    }

    package var kind: Kind
    /// The file the failure is about; empty when none.
    package var path: String
    package var message: String

    package init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    package var description: String { path.isEmpty ? message : "\(path): \(message)" }

    static func errno(_ code: Int32, path: String, doing call: String) -> HostMetricsError {
        let text = String(cString: strerror(code))
        let kind: Kind = code == ENOENT || code == ENOTDIR ? .notFound : .io
        return HostMetricsError(kind, path: path, "\(call): \(text)")
    }

    static func parse(_ path: String, _ message: String) -> HostMetricsError {
        HostMetricsError(.parse, path: path, message)
    }
}
