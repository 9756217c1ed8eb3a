import HTTPTypes
import Hummingbird
import NIOCore
import PromQL

/// The one error of PharosHTTP: a Prometheus API error with its `errorType` and message.
///
/// `description` is one line, `where: what: why` (e.g. `parameter "time": cannot parse "x" to a
/// valid timestamp`); `message` is the exact text the JSON body's `error` field carries.
/// As an `HTTPResponseError` it renders `{"status":"error","errorType":…,"error":…}` with the
/// status Prometheus uses for the type.
package struct APIError: Error, Sendable, CustomStringConvertible, HTTPResponseError {
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case badData = "bad_data", execution, timeout, canceled, `internal`, notFound = "not_found", unavailable
        }
        private let base: Base
        /// Invalid parameters and unparsable queries: 400.
        package static let badData = Kind(base: .badData)
        /// Errors while evaluating a query: 422.
        package static let execution = Kind(base: .execution)
        /// The query ran past its timeout: 503.
        package static let timeout = Kind(base: .timeout)
        /// The query was canceled: 503.
        package static let canceled = Kind(base: .canceled)
        /// A storage or server fault: 500.
        package static let `internal` = Kind(base: .internal)
        /// An unknown resource: 404.
        package static let notFound = Kind(base: .notFound)
        /// A component is not ready or not configured: 503.
        package static let unavailable = Kind(base: .unavailable)

        /// The `errorType` string of the Prometheus API.
        package var errorType: String { base.rawValue }
        package var description: String { base.rawValue }

        /// The HTTP status Prometheus answers with for this type.
        package var status: HTTPResponse.Status {
            switch base {
            case .badData: return .badRequest
            case .execution: return .unprocessableContent
            case .timeout, .canceled, .unavailable: return .serviceUnavailable
            case .internal: return .internalServerError
            case .notFound: return .notFound
            }
        }
    }

    package var kind: Kind
    /// The text of the body's `error` field, in Prometheus' wording.
    package var message: String
    /// Where it happened (an endpoint or a parameter), for logs; not part of the body.
    package var location: String

    /// The HTTP status when it is not the kind's usual one (Prometheus 2.42 answers its admin
    /// endpoints' `unavailable` errors with 500).
    package var statusOverride: HTTPResponse.Status?

    package init(_ kind: Kind, _ message: String, location: String = "", status: HTTPResponse.Status? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.statusOverride = status
    }

    /// Prometheus' `invalidParamError`: `invalid parameter "name": why`.
    package static func invalidParameter(_ name: String, _ why: String) -> APIError {
        APIError(.badData, "invalid parameter \"\(name)\": \(why)", location: "parameter \"\(name)\"")
    }

    package var description: String {
        (location.isEmpty ? "" : location + ": ") + kind.errorType + ": " + message
    }

    package var status: HTTPResponse.Status { statusOverride ?? kind.status }

    /// The JSON error body.
    package func body() -> ByteBuffer {
        var json = JSONWriter()
        json.raw("{\"status\":\"error\",\"errorType\":")
        json.string(kind.errorType)
        json.raw(",\"error\":")
        json.string(message)
        json.raw("}")
        return json.buffer
    }

    package func response(from request: Request, context: some RequestContext) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: body()))
    }
}

extension APIError {
    /// Maps an engine error to the API error of the same `errorType`.
    package init(_ error: QueryError) {
        switch error.kind {
        case .badData: self.init(.badData, error.message)
        case .execution: self.init(.execution, error.message)
        case .timeout: self.init(.timeout, error.message)
        case .canceled: self.init(.canceled, error.message)
        default: self.init(.internal, error.message)
        }
    }
}

/// Engine errors answer like Prometheus: bad_data 400, execution 422, timeout/canceled 503.
extension QueryError: HTTPResponseError {
    package var status: HTTPResponse.Status { APIError(self).status }

    package func response(from request: Request, context: some RequestContext) -> Response {
        APIError(self).response(from: request, context: context)
    }
}
