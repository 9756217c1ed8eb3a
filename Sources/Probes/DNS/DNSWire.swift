import PharosCore

/// A small DNS wire-format codec (RFC 1035) for the dns prober: a query encoder, a response
/// parser that refuses malformed input with the byte offset, and miekg/dns' text form of
/// records (`name.\tTTL\tIN\tA\t1.2.3.4`) that blackbox's regexps are written against.
package enum DNSWire {
    package static let types: [(String, UInt16)] = [
        ("A", 1), ("NS", 2), ("CNAME", 5), ("SOA", 6), ("PTR", 12), ("HINFO", 13), ("MX", 15), ("TXT", 16),
        ("AAAA", 28), ("SRV", 33), ("NAPTR", 35), ("DS", 43), ("RRSIG", 46), ("NSEC", 47), ("DNSKEY", 48),
        ("CAA", 257), ("OPT", 41), ("ANY", 255), ("AXFR", 252), ("IXFR", 251), ("HTTPS", 65), ("SVCB", 64),
    ]
    package static let classes: [(String, UInt16)] = [("IN", 1), ("CS", 2), ("CH", 3), ("HS", 4), ("NONE", 254), ("ANY", 255)]
    package static let rcodes: [(String, Int)] = [
        ("NOERROR", 0), ("FORMERR", 1), ("SERVFAIL", 2), ("NXDOMAIN", 3), ("NOTIMP", 4), ("REFUSED", 5),
        ("YXDOMAIN", 6), ("YXRRSET", 7), ("NXRRSET", 8), ("NOTAUTH", 9), ("NOTZONE", 10), ("BADSIG", 16),
        ("BADKEY", 17), ("BADTIME", 18), ("BADMODE", 19), ("BADNAME", 20), ("BADALG", 21), ("BADTRUNC", 22), ("BADCOOKIE", 23),
    ]

    package static func typeCode(_ name: String) -> UInt16? {
        if let known = types.first(where: { $0.0 == name }) { return known.1 }
        if name.hasPrefix("TYPE"), let value = UInt16(name.dropFirst(4)) { return value }
        return nil
    }
    package static func classCode(_ name: String) -> UInt16? {
        if let known = classes.first(where: { $0.0 == name }) { return known.1 }
        if name.hasPrefix("CLASS"), let value = UInt16(name.dropFirst(5)) { return value }
        return nil
    }
    package static func typeName(_ code: UInt16) -> String { types.first { $0.1 == code }?.0 ?? "TYPE\(code)" }
    package static func className(_ code: UInt16) -> String { classes.first { $0.1 == code }?.0 ?? "CLASS\(code)" }
    package static func rcodeCode(_ name: String) -> Int? { rcodes.first { $0.0 == name }?.1 }
    package static func rcodeName(_ code: Int) -> String { rcodes.first { $0.1 == code }?.0 ?? "RCODE\(code)" }

    /// A standard query for `name` (made fully qualified).
    package static func query(id: UInt16, name: String, type: UInt16, class qclass: UInt16, recursionDesired: Bool) throws(DNSWireError) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), recursionDesired ? 0x01 : 0x00, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        let fqdn = name.hasSuffix(".") ? name : name + "."
        if fqdn != "." {
            for label in fqdn.dropLast().split(separator: ".", omittingEmptySubsequences: false) {
                let bytes = Array(label.utf8)
                guard !bytes.isEmpty, bytes.count <= 63 else { throw DNSWireError(offset: 0, "bad label \(goQuote(String(label))) in \(goQuote(name))") }
                out.append(UInt8(bytes.count))
                out += bytes
            }
        }
        out.append(0)
        out += [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(qclass >> 8), UInt8(qclass & 0xFF)]
        return out
    }
}

/// A malformed DNS message: where and why.
package struct DNSWireError: Error, Sendable, Hashable, CustomStringConvertible {
    package var offset: Int
    package var reason: String
    init(offset: Int, _ reason: String) {
        self.offset = offset
        self.reason = reason
    }
    package var description: String { "dns: bad message at byte \(offset): \(reason)" }
}

/// One resource record, decoded enough to print as miekg/dns does.
package struct DNSRecord: Sendable, Hashable, CustomStringConvertible {
    package var name: String
    package var type: UInt16
    package var rrClass: UInt16
    package var ttl: UInt32
    /// The record data in miekg's presentation form.
    package var data: String
    /// SOA serial, when this is an SOA record.
    package var soaSerial: UInt32?

    package var description: String {
        "\(name)\t\(ttl)\t\(DNSWire.className(rrClass))\t\(DNSWire.typeName(type))" + (data.isEmpty ? "" : "\t\(data)")
    }
}

/// A parsed response.
package struct DNSResponse: Sendable, Hashable {
    package var id: UInt16
    package var rcode: Int
    package var truncated: Bool
    package var answer: [DNSRecord] = []
    package var authority: [DNSRecord] = []
    package var additional: [DNSRecord] = []

    /// Parses a whole message; throws for anything truncated or inconsistent.
    package init(parsing bytes: [UInt8]) throws(DNSWireError) {
        var reader = DNSMessageReader(bytes: bytes)
        id = try reader.u16()
        let flags = try reader.u16()
        truncated = flags & 0x0200 != 0
        let qd = try reader.u16(), an = try reader.u16(), ns = try reader.u16(), ar = try reader.u16()
        for _ in 0..<qd {
            _ = try reader.name()
            _ = try reader.u16()
            _ = try reader.u16()
        }
        var extendedRcode = 0
        answer = try (0..<an).map { _ throws(DNSWireError) in try reader.record() }
        authority = try (0..<ns).map { _ throws(DNSWireError) in try reader.record() }
        for _ in 0..<ar {
            let record = try reader.record()
            if record.type == 41 { extendedRcode = Int(record.ttl >> 24) << 4 }
            additional.append(record)
        }
        rcode = Int(flags & 0x000F) | extendedRcode
    }
}

struct DNSMessageReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func u8() throws(DNSWireError) -> UInt8 {
        guard offset < bytes.count else { throw DNSWireError(offset: offset, "message ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }
    mutating func u16() throws(DNSWireError) -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }
    mutating func u32() throws(DNSWireError) -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }
    mutating func take(_ count: Int) throws(DNSWireError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else { throw DNSWireError(offset: offset, "message ends early (want \(count) bytes)") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A possibly compressed name, as miekg prints it (`example.com.`, `.` for the root).
    mutating func name() throws(DNSWireError) -> String {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var hops = 0
        while true {
            guard position < bytes.count else { throw DNSWireError(offset: position, "name runs past the message") }
            let length = Int(bytes[position])
            if length == 0 {
                position += 1
                break
            }
            if length & 0xC0 == 0xC0 {
                guard position + 1 < bytes.count else { throw DNSWireError(offset: position, "truncated compression pointer") }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                hops += 1
                guard hops < 64, target < bytes.count else { throw DNSWireError(offset: position, "bad compression pointer") }
                if !jumped { offset = position + 2 }
                jumped = true
                position = target
                continue
            }
            guard length & 0xC0 == 0 else { throw DNSWireError(offset: position, "bad label type") }
            guard position + 1 + length <= bytes.count else { throw DNSWireError(offset: position, "label runs past the message") }
            labels.append(Self.escapeLabel(bytes[(position + 1)...(position + length)]))
            position += 1 + length
            guard labels.count < 128 else { throw DNSWireError(offset: position, "name too long") }
        }
        if !jumped { offset = position }
        return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }

    static func escapeLabel(_ bytes: ArraySlice<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "'"), UInt8(ascii: "@"), UInt8(ascii: ";"),
                 UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out += "\\" + String(UnicodeScalar(byte))
            case 0x21...0x7E: out += String(UnicodeScalar(byte))
            default:
                let text = String(byte)
                out += "\\" + String(repeating: "0", count: 3 - text.count) + text
            }
        }
        return out
    }

    mutating func record() throws(DNSWireError) -> DNSRecord {
        let owner = try name()
        let type = try u16(), rrClass = try u16(), ttl = try u32()
        let length = Int(try u16())
        let start = offset
        guard bytes.count - offset >= length else { throw DNSWireError(offset: offset, "record data runs past the message") }
        var record = DNSRecord(name: owner, type: type, rrClass: rrClass, ttl: ttl, data: "")
        let end = start + length
        switch type {
        case 1:
            guard length == 4 else { throw DNSWireError(offset: start, "A record of \(length) bytes") }
            record.data = try take(4).map(String.init).joined(separator: ".")
        case 28:
            guard length == 16 else { throw DNSWireError(offset: start, "AAAA record of \(length) bytes") }
            record.data = ResolvedIP(bytes: Array(try take(16))).description
        case 2, 5, 12, 39:
            record.data = try name()
        case 15:
            let preference = try u16()
            record.data = "\(preference) \(try name())"
        case 33:
            let priority = try u16(), weight = try u16(), port = try u16()
            record.data = "\(priority) \(weight) \(port) \(try name())"
        case 6:
            let mname = try name(), rname = try name()
            let serial = try u32(), refresh = try u32(), retry = try u32(), expire = try u32(), minimum = try u32()
            record.soaSerial = serial
            record.data = "\(mname) \(rname) \(serial) \(refresh) \(retry) \(expire) \(minimum)"
        case 16:
            var parts: [String] = []
            while offset < end {
                let count = Int(try u8())
                guard offset + count <= end else { throw DNSWireError(offset: offset, "TXT string runs past its record") }
                parts.append("\"" + Self.escapeText(try take(count)) + "\"")
            }
            record.data = parts.joined(separator: " ")
        case 41:
            record.data = ""
            _ = try take(length)
        default:
            let data = try take(length)
            record.data = "\\# \(length)" + (length > 0 ? " " + data.map { X509Names.hex($0) }.joined() : "")
        }
        guard offset == end else { throw DNSWireError(offset: offset, "record data length \(length) does not match its content") }
        return record
    }

    static func escapeText(_ bytes: ArraySlice<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += "\\" + String(UnicodeScalar(byte))
            case 0x20...0x7E: out += String(UnicodeScalar(byte))
            default:
                let text = String(byte)
                out += "\\" + String(repeating: "0", count: 3 - text.count) + text
            }
        }
        return out
    }
}
