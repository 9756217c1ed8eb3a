import Snappy

/// Whole `/api/v1/write` bodies: snappy block compression around the protobuf message.
extension RemoteWriteDecoder {
    /// Decompresses a snappy block (`Content-Encoding: snappy`) and decodes the request.
    ///
    /// Snappy errors (kind `.snappy`/`.limit`) carry offsets into `body`; protobuf errors (kind
    /// `.protobuf`) carry offsets into the decompressed message.
    package static func decode(snappyBody body: [UInt8],
                               maxDecodedSize: Int = Snappy.defaultMaxDecodedSize) throws(ExpositionError) -> WriteRequest {
        let message: [UInt8]
        do {
            message = try Snappy.decompress(body, maxDecodedSize: maxDecodedSize)
        } catch {
            throw ExpositionError(error.kind == .limit ? .limit : .snappy, error.message, offset: error.offset)
        }
        return try decode(message)
    }
}

extension RemoteWriteEncoder {
    /// The request as a remote-write 1.0 HTTP body: protobuf, then a snappy block.
    package static func encodeSnappyBody(_ request: WriteRequest) -> [UInt8] {
        Snappy.compress(encode(request))
    }

    /// Headers a remote-write 1.0 sender sets alongside the body.
    package static let headers: [(name: String, value: String)] = [
        ("Content-Encoding", "snappy"),
        ("Content-Type", "application/x-protobuf"),
        ("X-Prometheus-Remote-Write-Version", "0.1.0"),
    ]
}
