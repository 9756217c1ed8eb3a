/// The one error of the Push module.
///
/// `description` is one line, `where: what: why`, e.g.
/// `push to {job="batch"}: pushed metrics are invalid or inconsistent with existing metrics: …`.
/// `message` is the text an HTTP layer puts in the response body (Pushgateway's wording).
package struct PushError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; extensible without breaking callers (switch with a default).
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case badRequest = "bad request", inconsistent, unsupportedMediaType = "unsupported media type"
            case persistence
        }
        private let base: Base
        /// A malformed grouping-key path or an unparsable body (Pushgateway answers 400).
        package static let badRequest = Kind(base: .badRequest)
        /// The push is valid on its own but inconsistent with stored metrics, or carries
        /// timestamps (Pushgateway answers 400 and records `push_failure_time_seconds`).
        package static let inconsistent = Kind(base: .inconsistent)
        /// A body format Pharos does not accept (protobuf delimited, gzip): 415.
        package static let unsupportedMediaType = Kind(base: .unsupportedMediaType)
        /// Reading or writing the persistence file failed.
        package static let persistence = Kind(base: .persistence)
        package var description: String { base.rawValue }
    }

    package var kind: Kind
    /// The response-body text.
    package var message: String
    /// Where: the grouping key or the file.
    package var location: String

    package init(_ kind: Kind, _ message: String, location: String = "") {
        self.kind = kind
        self.message = message
        self.location = location
    }

    package var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
