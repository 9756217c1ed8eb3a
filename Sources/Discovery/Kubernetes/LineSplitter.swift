/// Splits a byte stream into `\n`-terminated lines (a Kubernetes watch sends one JSON event
/// per line), however the bytes are chunked. Blank lines are skipped; a line may not exceed
/// `maxLineLength`. A value; not thread-safe.
struct LineSplitter {
    struct TooLong: Error, CustomStringConvertible {
        var length: Int
        var description: String { "line longer than \(length) bytes" }
    }

    private var buffer: [UInt8] = []
    private var start = 0
    let maxLineLength: Int

    init(maxLineLength: Int = 16 << 20) { self.maxLineLength = maxLineLength }

    mutating func append(_ chunk: [UInt8]) throws(TooLong) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer += chunk
        if buffer.count - start > maxLineLength, !buffer[start...].contains(UInt8(ascii: "\n")) {
            throw TooLong(length: maxLineLength)
        }
    }

    /// The next complete non-blank line without its terminator (and a trailing `\r`).
    mutating func nextLine() -> ArraySlice<UInt8>? {
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer[start..<newline]
            start = newline + 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return line }
        }
        return nil
    }

    /// What is left after the stream ended, if it is not blank.
    mutating func finish() -> ArraySlice<UInt8>? {
        let rest = buffer[start...]
        start = buffer.count
        return rest.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) ? nil : rest
    }
}
