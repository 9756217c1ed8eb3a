import HTTPTypes
import Hummingbird
import NIOCore

/// A plain-text answer of an ingest endpoint, as Go's `http.Error` writes them: the message
/// plus a newline, `text/plain; charset=utf-8`, `X-Content-Type-Options: nosniff`. Success
/// answers (204, 200, 202) have an empty body.
package struct IngestResponse: Sendable, Hashable, CustomStringConvertible {
    package var status: HTTPResponse.Status
    package var message: String

    package init(_ status: HTTPResponse.Status, _ message: String = "") {
        self.status = status
        self.message = message
    }

    package var description: String { message.isEmpty ? "\(status.code)" : "\(status.code): \(message)" }

    package var response: Response {
        guard !message.isEmpty else { return Response(status: status) }
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
