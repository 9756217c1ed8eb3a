/// Splits the bytes of one segment into records, validating pages, fragment headers,
/// checksums and fragment order (Docs/formats/wal.md). Pure: no I/O, never traps on any input.
package enum WALSegmentScanner {
    /// The first problem found in a segment.
    package struct Damage: Sendable, Equatable {
        /// End of the last complete, valid record: where a repair truncates the file.
        package var goodEnd: Int
        /// Byte offset of the offending fragment header (or byte).
        package var offset: Int
        /// One-line reason, e.g. `record checksum mismatch (want 0x…, got 0x…)`.
        package var reason: String
        /// True when the bytes are likely valid but use a feature Pharos cannot read (zstd
        /// compression): replay must fail rather than "repair" good data away.
        package var isUnsupported = false
    }

    /// Calls `body(record, start)` for each complete record in order, where `start` is the
    /// offset of its first fragment header; `record` is only valid during the call. Stops at
    /// the first problem and returns it, or returns nil when the bytes end cleanly.
    package static func scan(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) rethrows -> Damage? {
        var position = 0
        var goodEnd = 0
        var pending: [UInt8] = []
        var pendingStart: Int? = nil
        var pendingSnappy = false
        let pageSize = WALFormat.pageSize
        while position < bytes.count {
            let pageEnd = min(bytes.count, (position / pageSize + 1) * pageSize)
            let type = bytes[position]
            if type == WALFormat.FragmentType.pageTerm.rawValue || pageEnd - position < WALFormat.headerSize {
                // The rest of the page must be zero padding.
                for index in position..<pageEnd where bytes[index] != 0 {
                    if pageEnd == bytes.count && pageEnd % pageSize != 0 && type != 0 {
                        return Damage(goodEnd: goodEnd, offset: position,
                                      reason: "short read: \(pageEnd - position) of \(WALFormat.headerSize) header bytes")
                    }
                    return Damage(goodEnd: goodEnd, offset: index, reason: "non-zero byte \(hex(bytes[index], width: 2)) in page padding")
                }
                position = pageEnd
                continue
            }
            if type & WALFormat.zstdFlag != 0 {
                return Damage(goodEnd: goodEnd, offset: position, reason: "zstd-compressed record is not supported (restart Prometheus with --no-storage.tsdb.wal-compression or use snappy)",
                              isUnsupported: true)
            }
            let snappy = type & WALFormat.snappyFlag != 0
            guard let fragment = WALFormat.FragmentType(rawValue: type & ~WALFormat.compressionMask), type & 0xE0 == 0 else {
                return Damage(goodEnd: goodEnd, offset: position, reason: "invalid fragment type \(type)")
            }
            let length = Int(bytes[position + 1]) << 8 | Int(bytes[position + 2])
            let dataStart = position + WALFormat.headerSize
            if dataStart + length > pageEnd {
                if pageEnd == bytes.count && dataStart + length <= (position / pageSize + 1) * pageSize {
                    return Damage(goodEnd: goodEnd, offset: position,
                                  reason: "short read: \(bytes.count - dataStart) of \(length) fragment bytes")
                }
                return Damage(goodEnd: goodEnd, offset: position, reason: "fragment of \(length) bytes crosses the page end")
            }
            var want: UInt32 = 0
            for index in 3..<7 { want = want << 8 | UInt32(bytes[position + index]) }
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<dataStart + length])
            let got = CRC32C.update(0, data)
            if want != got {
                return Damage(goodEnd: goodEnd, offset: position,
                              reason: "record checksum mismatch (want \(hex(want, width: 8)), got \(hex(got, width: 8)))")
            }
            switch (fragment, pendingStart) {
            case (.full, nil):
                if snappy {
                    guard let record = decompress(data) else {
                        return Damage(goodEnd: goodEnd, offset: position, reason: "cannot decompress snappy record")
                    }
                    try record.withUnsafeBytes { try body($0, position) }
                } else {
                    try body(data, position)
                }
                goodEnd = dataStart + length
            case (.first, nil):
                pending.removeAll(keepingCapacity: true)
                pending.append(contentsOf: data)
                pendingStart = position
                pendingSnappy = snappy
            case (.middle, .some):
                pending.append(contentsOf: data)
            case (.last, .some(let start)):
                pending.append(contentsOf: data)
                if pendingSnappy {
                    guard let record = pending.withUnsafeBytes({ decompress($0) }) else {
                        return Damage(goodEnd: goodEnd, offset: start, reason: "cannot decompress snappy record")
                    }
                    try record.withUnsafeBytes { try body($0, start) }
                } else {
                    try pending.withUnsafeBytes { try body($0, start) }
                }
                pendingStart = nil
                goodEnd = dataStart + length
            case (.full, .some), (.first, .some):
                return Damage(goodEnd: goodEnd, offset: position, reason: "bad fragment sequence: \(fragment) before the last fragment of the previous record")
            default:
                return Damage(goodEnd: goodEnd, offset: position, reason: "bad fragment sequence: \(fragment) without a first")
            }
            position = dataStart + length
        }
        if let start = pendingStart {
            return Damage(goodEnd: goodEnd, offset: start, reason: "segment ends inside a record")
        }
        return nil
    }
}

/// The snappy-decoded record, or nil when it does not decode.
private func decompress(_ data: UnsafeRawBufferPointer) -> [UInt8]? {
    try? SnappyDecoder.decode(data)
}

/// `0x` followed by `value` in lower-case hex, zero-padded to `width` digits.
package func hex(_ value: some BinaryInteger, width: Int) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, width - digits.count)) + digits
}
