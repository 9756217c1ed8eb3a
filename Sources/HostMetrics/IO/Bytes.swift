import Exposition

/// Byte-level helpers for the line-and-field text of /proc and /sys: ranges into one `[UInt8]`,
/// never a `String` per field. Every function accepts any bytes (truncated, binary, empty)
/// without trapping.
enum Bytes {
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// Calls `body` with the range of each line (without its `\n`); a last line without
    /// `\n` counts, an empty tail does not.
    static func forEachLine(_ bytes: [UInt8], _ body: (Range<Int>) throws(HostMetricsError) -> Void) throws(HostMetricsError) {
        var start = 0
        let end = bytes.count
        while start < end {
            var stop = start
            while stop < end && bytes[stop] != 0x0A { stop += 1 }
            try body(start..<stop)
            start = stop + 1
        }
    }

    /// `range` without leading and trailing white space.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && isSpace(bytes[lower]) { lower += 1 }
        while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The white-space separated fields of `range` (Go's `strings.Fields`), at most `limit`.
    static func fields(_ bytes: [UInt8], _ range: Range<Int>, limit: Int = .max) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var fields = Fields(bytes, range)
        while result.count < limit, let field = fields.next() { result.append(field) }
        return result
    }

    /// A decimal unsigned integer (Go's `strconv.ParseUint(s, 10, 64)`); nil on anything else
    /// or overflow.
    static func uint64(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty else { return nil }
        var value: UInt64 = 0
        for index in range {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// A float as Go's `strconv.ParseFloat(s, 64)` reads the decimal forms the kernel writes.
    static func double(_ bytes: [UInt8], _ range: Range<Int>) -> Double? {
        FloatParsing.parse(bytes, range)
    }

    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// Whether `bytes[range]` equals `word`.
    static func equals(_ bytes: [UInt8], _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { buffer in
            var offset = 0
            for index in range {
                if bytes[index] != buffer[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    /// Whether `bytes[range]` starts with `word`.
    static func hasPrefix(_ bytes: [UInt8], _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count >= word.utf8CodeUnitCount else { return false }
        return equals(bytes, range.lowerBound..<(range.lowerBound + word.utf8CodeUnitCount), word)
    }
}

/// Iterates the white-space separated fields of one range without allocating.
struct Fields {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func next() -> Range<Int>? {
        while position < end && Bytes.isSpace(bytes[position]) { position += 1 }
        guard position < end else { return nil }
        let start = position
        while position < end && !Bytes.isSpace(bytes[position]) { position += 1 }
        return start..<position
    }
}
