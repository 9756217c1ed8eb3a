/// The one error type of the Scrape module.
///
/// `description` is one line, `where: what`, e.g.
/// `target http://10.0.0.5:9100/metrics: line 212, column 18: expected a value after the label set, got "#"`.
/// `message` alone is what Prometheus shows as the target's last error (`sample limit exceeded`,
/// `server returned HTTP status 404 Not Found`, …), so `lastError` in the targets API is `message`.
package struct ScrapeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; extensible without breaking callers (switch with a default).
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case fetch, bodySizeLimit, httpStatus, parse, sampleLimit, labelLimit, storage, targetLimit, invalidTarget, discovery
        }
        private let base: Base
        /// Transport failure or timeout.
        package static let fetch = Kind(base: .fetch)
        /// The body is larger than `body_size_limit`.
        package static let bodySizeLimit = Kind(base: .bodySizeLimit)
        /// The target answered with a status other than 200.
        package static let httpStatus = Kind(base: .httpStatus)
        /// The body is not valid exposition text.
        package static let parse = Kind(base: .parse)
        /// More samples than `sample_limit` after metric relabeling.
        package static let sampleLimit = Kind(base: .sampleLimit)
        /// `label_limit`, `label_name_length_limit` or `label_value_length_limit` exceeded.
        package static let labelLimit = Kind(base: .labelLimit)
        /// The appender refused the batch or the commit failed.
        package static let storage = Kind(base: .storage)
        /// The pool has more targets than `target_limit`.
        package static let targetLimit = Kind(base: .targetLimit)
        /// Target labels after relabeling are unusable (no address, bad interval, …).
        package static let invalidTarget = Kind(base: .invalidTarget)
        /// A service-discovery file could not be read or parsed.
        package static let discovery = Kind(base: .discovery)
        package var description: String { base.rawValue }
    }

    package var kind: Kind
    /// Where: `target <url>`, `job <name>` or a file path; may be empty.
    package var location: String
    package var message: String

    package init(_ kind: Kind, location: String = "", _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    package var description: String { location.isEmpty ? message : "\(location): \(message)" }
}
