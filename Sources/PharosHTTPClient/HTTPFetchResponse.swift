/// A completed HTTP response: status, headers and the whole (decompressed) body.
package struct HTTPFetchResponse: Sendable {
    /// The numeric status code (200, 404, …).
    package var status: Int
    /// Go's `resp.Status` form: `"404 Not Found"`.
    package var statusLine: String
    /// Header pairs in the order received; names as sent.
    package var headers: [(name: String, value: String)]
    /// The body after gzip decoding, at most the request's size limit.
    package var body: [UInt8]

    package init(status: Int, statusLine: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.statusLine = statusLine
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched case-insensitively.
    package func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
