import Snappy

/// Decodes Snappy blocks (not the framed stream format), which Prometheus uses to compress WAL
/// records (fragment type flag `0x08`). The codec itself is the `Snappy` module, shared with
/// remote write; this adapter reports through `TSDBError` and caps output at 1 GiB.
package enum SnappyDecoder {
    /// The largest output we accept (a WAL record is far smaller).
    package static let maximumLength = 1 << 30

    /// Any malformed input throws `TSDBError` `.invalidRecord` (offset into the block), never
    /// traps; output is capped at the announced length.
    package static func decode(_ input: UnsafeRawBufferPointer) throws(TSDBError) -> [UInt8] {
        do {
            return try Snappy.decompress(input, maxDecodedSize: maximumLength)
        } catch {
            throw TSDBError.wal(kind: .invalidRecord, offset: error.offset, message: "snappy: \(error.message)")
        }
    }
}
