import PharosCore

/// Byte classes, positioned errors and low-level scanning shared by both formats.
extension ExpositionParser {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), hash = UInt8(ascii: "#")
    static let braceOpen = UInt8(ascii: "{"), braceClose = UInt8(ascii: "}")
    static let comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")

    /// `[a-zA-Z_]`
    @inline(__always) static func isLabelStart(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    /// `[a-zA-Z0-9_]`
    @inline(__always) static func isLabelChar(_ byte: UInt8) -> Bool {
        isLabelStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// `[a-zA-Z_:]`
    @inline(__always) static func isMetricStart(_ byte: UInt8) -> Bool { isLabelStart(byte) || byte == UInt8(ascii: ":") }

    /// `[a-zA-Z0-9_:]`
    @inline(__always) static func isMetricChar(_ byte: UInt8) -> Bool { isLabelChar(byte) || byte == UInt8(ascii: ":") }

    @inline(__always) func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    @inline(__always) func isBlank(_ byte: UInt8?) -> Bool { byte == Self.space || byte == Self.tab }

    /// Skips spaces and tabs (text 0.0.4 is whitespace-tolerant; OpenMetrics never calls this).
    @inline(__always) mutating func skipBlanks() {
        while position < bytes.count, bytes[position] == Self.space || bytes[position] == Self.tab { position += 1 }
    }

    /// The offset of the next newline at or after `position`, or the end of the input.
    func lineEnd() -> Int {
        var index = position
        while index < bytes.count && bytes[index] != Self.newline { index += 1 }
        return index
    }

    /// A positioned error on the current line.
    func error(_ message: String, at offset: Int? = nil, kind: ExpositionError.Kind = .syntax) -> ExpositionError {
        let offset = offset ?? position
        return ExpositionError(kind, message, offset: offset, line: lineNumber, column: offset - lineStart + 1)
    }

    /// A short quoted rendering of the token at `offset`, for "got …" in messages.
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte == Self.newline { return "end of line" }
        var end = offset + 1
        if Self.isMetricChar(byte) {
            while end < bytes.count && Self.isMetricChar(bytes[end]) && end - offset < 32 { end += 1 }
        } else if byte >= 0x80 {
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 && end - offset < 4 { end += 1 }
        }
        return goQuote(String(decoding: bytes[offset..<end], as: UTF8.self))
    }

    /// Ends the current line: expects a newline (or, outside OpenMetrics, the end of the input),
    /// and consumes it.
    mutating func finishLine(after what: String) throws(ExpositionError) {
        if position >= bytes.count {
            if format == .openMetrics { throw error("data does not end with # EOF") }
        } else if bytes[position] != Self.newline {
            throw error("expected end of line after \(what), got \(describe(at: position))")
        }
        if position < bytes.count {
            position += 1
            lineNumber += 1
            lineStart = position
        }
    }

    /// Reads a double-quoted string at `position` (which holds `"`), leaving `position` after
    /// the closing quote. Returns the range between the quotes and whether it has a backslash.
    mutating func readQuoted(_ what: String) throws(ExpositionError) -> (range: Range<Int>, escaped: Bool) {
        let open = position
        position += 1
        let start = position
        var escaped = false
        var highBit = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.quote {
                let range = start..<position
                position += 1
                if highBit && !isValidUTF8(range) {
                    throw error("invalid UTF-8 in \(what)", at: start)
                }
                return (range, escaped)
            }
            if byte == Self.newline { break }
            if byte == Self.backslash {
                escaped = true
                position += 1
                if position >= bytes.count || bytes[position] == Self.newline { break }
            }
            if byte >= 0x80 { highBit = true }
            position += 1
        }
        throw error("unterminated quoted \(what): no closing '\"' before the end of the line", at: open)
    }

    func isValidUTF8(_ range: Range<Int>) -> Bool {
        String(validating: bytes[range], as: UTF8.self) != nil
    }

    func containsHighBit(_ range: Range<Int>) -> Bool {
        for index in range where bytes[index] >= 0x80 { return true }
        return false
    }

    /// Whether the bytes at `position` spell `word`.
    func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return word.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[position + offset] != buffer[offset] { return false }
            return true
        }
    }

    func bytesEqual(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var left = lhs.lowerBound, right = rhs.lowerBound
        while left < lhs.upperBound {
            if bytes[left] != bytes[right] { return false }
            left += 1
            right += 1
        }
        return true
    }

    /// Whether `count` bytes at `lhs` and `rhs` are equal (eight at a time).
    @inline(__always) static func equalBytes(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            if lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < count {
            if lhs.load(fromByteOffset: offset, as: UInt8.self) != rhs.load(fromByteOffset: offset, as: UInt8.self) { return false }
            offset += 1
        }
        return true
    }
}
