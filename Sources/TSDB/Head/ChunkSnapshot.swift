import PharosCore

/// An immutable view of one XOR chunk: its encoded bytes and time bounds.
///
/// Head chunks hand out snapshots (the open chunk's bytes as of the call), blocks hand out
/// chunks read from disk; queriers treat both alike. `bytes` includes the 2-byte header.
package struct ChunkSnapshot: Sendable {
    package var minTime: Timestamp
    package var maxTime: Timestamp
    package var bytes: [UInt8]

    package init(minTime: Timestamp, maxTime: Timestamp, bytes: [UInt8]) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.bytes = bytes
    }

    /// True when the chunk has samples inside [mint, maxt].
    package func overlaps(_ mint: Timestamp, _ maxt: Timestamp) -> Bool {
        minTime <= maxt && maxTime >= mint
    }

    package func makeIterator() -> XORIterator { XORIterator(bytes: bytes) }
}
