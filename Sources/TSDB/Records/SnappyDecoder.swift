import Snappy

/// Decodes Snappy blocks (not the framed stream format), which Prometheus uses to compress WAL
/// records (fragment type flag `0x08`). The codec itself is the `Snappy` module, shared with
/// remote write; this adapter gives the WAL its own error type and a 1 GiB output cap.
package enum SnappyDecoder {
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    /// The largest output we accept (a WAL record is far smaller).
    package static let maximumLength = 1 << 30

    /// Any malformed input throws, never traps; output is capped at the announced length.
    package static func decode(_ input: UnsafeRawBufferPointer) throws(Failure) -> [UInt8] {
        do {
            return try Snappy.decompress(input, maxDecodedSize: maximumLength)
        } catch {
            throw Failure(reason: "snappy: \(error)")
        }
    }
}
