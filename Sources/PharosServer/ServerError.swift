/// The one error of PharosServer: bad flags, an unreadable config file, a failed start,
/// an unreadable `/proc` file.
/// `description` is one line, `where: what: why`, e.g.
/// `--web.listen-address: cannot parse "localhost" as host:port: missing port`.
package struct ServerError: Error, Sendable, CustomStringConvertible {
    package struct Kind: Hashable, Sendable {
        private enum Base: Hashable { case invalidFlag, config, startup, processStats }
        private let base: Base
        /// A command-line flag has a value we cannot use.
        package static let invalidFlag = Kind(base: .invalidFlag)
        /// The config file is missing, unreadable or invalid.
        package static let config = Kind(base: .config)
        /// A component failed while starting.
        package static let startup = Kind(base: .startup)
        /// A `/proc` file is missing or malformed (process metrics keep their last values).
        package static let processStats = Kind(base: .processStats)
    }

    package var kind: Kind
    /// The flag, file or component concerned.
    package var location: String
    package var message: String

    package init(_ kind: Kind, _ location: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    package var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
