import PharosCore

/// One sample of an instant vector.
package struct InstantSample: Hashable, Sendable {
    package var labels: Labels
    package var timestamp: Timestamp
    package var value: Double

    package init(labels: Labels, timestamp: Timestamp, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }
}

/// One series of a range vector (matrix): samples in increasing time order.
package struct RangeSeries: Hashable, Sendable {
    package var labels: Labels
    package var samples: [Sample]

    package init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

/// The value of a query, in the four shapes of the Prometheus HTTP API's `resultType`.
package enum QueryValue: Sendable {
    case scalar(timestamp: Timestamp, value: Double)
    case string(timestamp: Timestamp, value: String)
    case vector([InstantSample])
    case matrix([RangeSeries])

    /// `scalar`, `string`, `vector` or `matrix`, as the HTTP API names them.
    package var resultType: String {
        switch self {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "vector"
        case .matrix: return "matrix"
        }
    }
}

/// A query's value plus the warnings and infos raised while evaluating it.
package struct QueryResult: Sendable {
    package var value: QueryValue
    package var annotations: Annotations

    package init(value: QueryValue, annotations: Annotations = Annotations()) {
        self.value = value
        self.annotations = annotations
    }
}

/// Why a query failed. The kind maps 1:1 to the Prometheus HTTP API's `errorType`.
package struct QueryError: Error, Sendable, CustomStringConvertible {
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String { case badData = "bad_data", execution, timeout, canceled, `internal` }
        private let base: Base
        /// Parse errors and invalid parameters.
        package static let badData = Kind(base: .badData)
        /// Errors while evaluating (many-to-many, duplicate labelset, too many samples, …).
        package static let execution = Kind(base: .execution)
        package static let timeout = Kind(base: .timeout)
        package static let canceled = Kind(base: .canceled)
        package static let `internal` = Kind(base: .internal)
        /// The Prometheus API `errorType` string.
        package var errorType: String { base.rawValue }
        package var description: String { base.rawValue }
    }

    package var kind: Kind
    /// Prometheus' wording, e.g. "vector cannot contain metrics with the same labelset".
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
