/// Page and fragment constants of the WAL segment format (Docs/formats/wal.md).
package enum WALFormat {
    /// Bytes per page; fragments never cross a page boundary.
    package static let pageSize = 32 * 1024
    /// type (1) + length (2) + CRC32C (4).
    package static let headerSize = 7
    /// Default nominal segment size.
    package static let defaultSegmentSize = 128 * 1024 * 1024

    /// Fragment types (low three bits of the header's first byte).
    package enum FragmentType: UInt8, Sendable {
        case pageTerm = 0, full = 1, first = 2, middle = 3, last = 4
    }

    /// Prometheus' snappy (0x08) and zstd (0x10) compression flags.
    package static let compressionMask: UInt8 = 0x18
    package static let snappyFlag: UInt8 = 0x08
    package static let zstdFlag: UInt8 = 0x10
}

/// Where the writer stands inside the current segment, and how a record becomes fragments.
///
/// A pure value (no I/O): `append` emits the exact bytes to write, including fragment headers
/// and page padding; the owner writes them. This keeps the page arithmetic testable alone.
package struct WALPageLayout: Sendable, Equatable {
    /// Bytes written to the current segment so far.
    package private(set) var segmentOffset: Int
    /// Nominal segment size in bytes (a multiple of the page size).
    package let segmentSize: Int

    package init(segmentSize: Int, segmentOffset: Int = 0) {
        self.segmentSize = segmentSize
        self.segmentOffset = segmentOffset
    }

    private var pageRemaining: Int { WALFormat.pageSize - segmentOffset % WALFormat.pageSize }

    /// True when nothing has been written to this segment.
    package var isEmpty: Bool { segmentOffset == 0 }

    /// Whether a record of `length` bytes fits in what is left of the segment.
    package func fits(recordLength length: Int) -> Bool {
        guard segmentOffset < segmentSize else { return false }
        let used = segmentOffset % WALFormat.pageSize
        let currentPage = used == 0 ? 0 : WALFormat.pageSize - used - WALFormat.headerSize
        let nextPageStart = used == 0 ? segmentOffset : segmentOffset + WALFormat.pageSize - used
        let wholePages = max(0, segmentSize - nextPageStart) / WALFormat.pageSize
        return length <= currentPage + wholePages * (WALFormat.pageSize - WALFormat.headerSize)
    }

    /// Appends the fragments of `record` to `out` and advances the offset.
    package mutating func append(record: some Collection<UInt8>, snappy: Bool = false, into out: inout [UInt8]) {
        let done: Void? = record.withContiguousStorageIfAvailable {
            append(record: UnsafeRawBufferPointer($0), snappy: snappy, into: &out)
        }
        if done == nil { Array(record).withUnsafeBytes { append(record: $0, snappy: snappy, into: &out) } }
    }

    /// Appends the fragments of the record in `record` to `out` and advances the offset.
    ///
    /// With `snappy`, `record` is already a snappy block and every fragment's type byte
    /// carries `WALFormat.snappyFlag` (as Prometheus writes it).
    package mutating func append(record: UnsafeRawBufferPointer, snappy: Bool = false, into out: inout [UInt8]) {
        var start = 0
        var isFirst = true
        repeat {
            let room = pageRemaining - WALFormat.headerSize
            let take = min(record.count - start, room)
            let chunk = UnsafeRawBufferPointer(rebasing: record[start..<(start + take)])
            start += take
            let isLast = start == record.count
            let type: WALFormat.FragmentType
            switch (isFirst, isLast) {
            case (true, true): type = .full
            case (true, false): type = .first
            case (false, false): type = .middle
            case (false, true): type = .last
            }
            out.append(snappy ? type.rawValue | WALFormat.snappyFlag : type.rawValue)
            out.append(UInt8(truncatingIfNeeded: take >> 8))
            out.append(UInt8(truncatingIfNeeded: take))
            withUnsafeBytes(of: CRC32C.update(0, chunk).bigEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: chunk)
            segmentOffset += WALFormat.headerSize + take
            isFirst = false
            if pageRemaining < WALFormat.headerSize {
                padPage(into: &out)
            }
        } while start < record.count
    }

    /// Zero-fills the rest of a started page (no-op at a page boundary).
    package mutating func padPage(into out: inout [UInt8]) {
        let used = segmentOffset % WALFormat.pageSize
        guard used != 0 else { return }
        let padding = WALFormat.pageSize - used
        out.append(contentsOf: repeatElement(0, count: padding))
        segmentOffset += padding
    }
}
