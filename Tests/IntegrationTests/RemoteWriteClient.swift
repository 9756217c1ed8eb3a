import Exposition

extension TestHTTPClient {
    /// A remote-write 1.0 request (protobuf in a snappy block, with the standard headers).
    func remoteWrite(_ request: WriteRequest) async throws -> Response {
        try await post("/api/v1/write", bytes: RemoteWriteEncoder.encodeSnappyBody(request), headers: RemoteWriteEncoder.headers)
    }
}
