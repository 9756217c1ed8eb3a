/// Constants of the Prometheus index format v2 (Docs/formats/index.md).
package enum IndexFormat {
    package static let magic: UInt32 = 0xBAAA_D700
    package static let version: UInt8 = 2
    package static let headerSize = 5
    /// Six BE64 offsets and a CRC32C.
    package static let tocSize = 6 * 8 + 4
    /// Series entries start at multiples of this; a series ref is `offset / seriesAlignment`.
    package static let seriesAlignment = 16
}

/// Where a block index places a series' chunk: time bounds (inclusive) and the chunk ref
/// (`file position << 32 | offset`, see Docs/formats/chunks.md).
package struct ChunkMeta: Hashable, Sendable {
    package var minTime: Int64
    package var maxTime: Int64
    package var ref: UInt64

    package init(minTime: Int64, maxTime: Int64, ref: UInt64) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.ref = ref
    }
}

/// The index's table of contents: absolute offsets of its sections (0 = absent).
package struct IndexTOC: Hashable, Sendable {
    package var symbols: UInt64 = 0
    package var series: UInt64 = 0
    package var labelIndices: UInt64 = 0
    package var labelOffsetTable: UInt64 = 0
    package var postings: UInt64 = 0
    package var postingsOffsetTable: UInt64 = 0
}
