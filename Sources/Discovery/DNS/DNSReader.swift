/// A bounds-checked cursor over one DNS message (names may point anywhere before themselves).
struct DNSReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read8() throws(DNSFormatError) -> UInt8 {
        guard offset < bytes.count else { throw truncated(1) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func read16() throws(DNSFormatError) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw truncated(2) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func read32() throws(DNSFormatError) -> UInt32 {
        UInt32(try read16()) << 16 | UInt32(try read16())
    }

    mutating func skip(_ count: Int) throws(DNSFormatError) {
        guard offset + count <= bytes.count else { throw truncated(count) }
        offset += count
    }

    mutating func readBytes(_ count: Int) throws(DNSFormatError) -> ArraySlice<UInt8> {
        guard offset + count <= bytes.count else { throw truncated(count) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A (possibly compressed) name as absolute text with a trailing dot, escaped as
    /// miekg/dns prints names (`\.` inside labels, `\DDD` for unprintable bytes). A pointer
    /// must point before the label that holds it, so compression cannot loop.
    mutating func readName() throws(DNSFormatError) -> String {
        var text = ""
        var position = offset
        var endAfterFirstPointer: Int?
        var length = 0
        /// Every pointer must go strictly backwards from the lowest position seen so far.
        var floor = offset
        while true {
            guard position < bytes.count else { throw DNSFormatError(offset: position, "name runs past the end of the message") }
            let byte = bytes[position]
            switch byte & 0xc0 {
            case 0x00:
                if byte == 0 {
                    offset = endAfterFirstPointer ?? position + 1
                    return text.isEmpty ? "." : text
                }
                let count = Int(byte)
                guard position + 1 + count <= bytes.count else {
                    throw DNSFormatError(offset: position, "label of \(count) bytes runs past the end of the message")
                }
                length += count + 1
                guard length <= 255 else { throw DNSFormatError(offset: position, "name is longer than 255 bytes") }
                Self.appendEscaped(bytes[position + 1..<position + 1 + count], to: &text)
                text += "."
                position += 1 + count
            case 0xc0:
                guard position + 1 < bytes.count else { throw DNSFormatError(offset: position, "compression pointer is truncated") }
                let target = Int(byte & 0x3f) << 8 | Int(bytes[position + 1])
                guard target < floor else {
                    throw DNSFormatError(offset: position, "compression pointer to \(target) does not point backwards (loop)")
                }
                if endAfterFirstPointer == nil { endAfterFirstPointer = position + 2 }
                floor = target
                position = target
            default:
                throw DNSFormatError(offset: position, "unsupported label type 0x\(String(byte & 0xc0, radix: 16))")
            }
        }
    }

    /// One resource record; the rdata length must match what the type's fields use.
    mutating func readRecord() throws(DNSFormatError) -> DNSRecord {
        _ = try readName()
        let type = try read16()
        _ = try read16()
        _ = try read32()
        let length = Int(try read16())
        let start = offset
        guard start + length <= bytes.count else {
            throw DNSFormatError(offset: start, "record data of \(length) bytes runs past the end of the message")
        }
        let record: DNSRecord
        switch DNSRecordType(rawValue: type) {
        case .a?:
            guard length == 4 else { throw DNSFormatError(offset: start, "A record data has \(length) bytes, want 4") }
            record = .a(try readBytes(4).map(String.init).joined(separator: "."))
        case .aaaa?:
            guard length == 16 else { throw DNSFormatError(offset: start, "AAAA record data has \(length) bytes, want 16") }
            record = .aaaa(Self.formatIPv6(Array(try readBytes(16))))
        case .srv?:
            let priority = try read16(), weight = try read16(), port = try read16()
            record = .srv(priority: priority, weight: weight, port: port, target: try readName())
        case .mx?:
            let preference = try read16()
            record = .mx(preference: preference, exchange: try readName())
        case .ns?:
            record = .ns(try readName())
        case .cname?:
            record = .cname(try readName())
        default:
            try skip(length)
            record = .other(type: type)
        }
        guard offset == start + length else {
            throw DNSFormatError(offset: start, "record data length \(length) does not match its content (\(offset - start) bytes)")
        }
        return record
    }

    private func truncated(_ wanted: Int) -> DNSFormatError {
        DNSFormatError(offset: offset, "message truncated: want \(wanted) more bytes, have \(bytes.count - offset)")
    }

    private static func appendEscaped(_ label: ArraySlice<UInt8>, to text: inout String) {
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "'"), UInt8(ascii: "@"), UInt8(ascii: ";"),
                 UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "\\"):
                text += "\\"
                text.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x21...0x7e:
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = String(byte)
                text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
    }

    /// Go's `net.IP.String()`: RFC 5952 (lowercase hex, leading zeros dropped, the longest run
    /// of two or more zero groups as `::`); an IPv4-mapped address in dotted decimal.
    static func formatIPv6(_ bytes: [UInt8]) -> String {
        let groups = (0..<8).map { UInt16(bytes[$0 * 2]) << 8 | UInt16(bytes[$0 * 2 + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xffff {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength { bestStart = runStart; bestLength = index - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = groups[..<bestStart].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }
}
