/// The DNS wire format subset DNS SD needs (RFC 1035, RFC 2782 SRV, RFC 6891 EDNS0): a query
/// encoder and a response parser. Pure and bounds-checked: malformed input (truncation, bad
/// lengths, compression loops, over-long names) throws `DNSFormatError`, never traps.
package enum DNSRecordType: UInt16, Sendable, Hashable {
    case a = 1, ns = 2, cname = 5, mx = 15, aaaa = 28, srv = 33, opt = 41
}

/// One answer record, decoded for the types DNS SD uses.
package enum DNSRecord: Sendable, Hashable {
    /// Dotted IPv4 address.
    case a(String)
    /// IPv6 address in RFC 5952 text form.
    case aaaa(String)
    /// Target as an absolute name with its trailing dot (`db1.example.com.`).
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
    case mx(preference: UInt16, exchange: String)
    case ns(String)
    case cname(String)
    /// Any other type, kept by number.
    case other(type: UInt16)
}

/// A parsed response: the header fields DNS SD reads and the answer section.
package struct DNSResponse: Sendable, Hashable {
    package var id: UInt16
    package var isResponse: Bool
    package var truncated: Bool
    /// 0 = NOERROR, 3 = NXDOMAIN, …
    package var rcode: UInt8
    package var answers: [DNSRecord]

    package static let success: UInt8 = 0
    package static let nameError: UInt8 = 3
}

/// Why a DNS message could not be parsed, with the byte offset where parsing stopped.
package struct DNSFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    package var offset: Int
    package var message: String

    package init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    package var description: String { "at byte \(offset): \(message)" }
}

package enum DNSMessage {
    /// A standard query with recursion desired for `name` (made absolute if it is not), with
    /// an EDNS0 OPT record advertising `udpPayloadSize` when given.
    package static func query(id: UInt16, name: String, type: DNSRecordType, udpPayloadSize: UInt16? = 4096) throws(DNSFormatError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        append16(&out, id)
        append16(&out, 0x0100)  // RD
        append16(&out, 1)
        append16(&out, 0)
        append16(&out, 0)
        append16(&out, udpPayloadSize == nil ? 0 : 1)
        try encodeName(name, into: &out)
        append16(&out, type.rawValue)
        append16(&out, 1)  // IN
        if let size = udpPayloadSize {
            out.append(0)  // root name
            append16(&out, DNSRecordType.opt.rawValue)
            append16(&out, size)
            out += [0, 0, 0, 0]  // extended RCODE, version, flags
            append16(&out, 0)
        }
        return out
    }

    /// Parses a whole response message.
    package static func parse(_ bytes: [UInt8]) throws(DNSFormatError) -> DNSResponse {
        var reader = DNSReader(bytes)
        let id = try reader.read16()
        let flags = try reader.read16()
        let questions = try reader.read16()
        let answers = try reader.read16()
        _ = try reader.read16()
        _ = try reader.read16()
        for _ in 0..<questions {
            _ = try reader.readName()
            try reader.skip(4)
        }
        var records: [DNSRecord] = []
        records.reserveCapacity(Int(min(answers, 256)))
        for _ in 0..<answers {
            records.append(try reader.readRecord())
        }
        return DNSResponse(id: id, isResponse: flags & 0x8000 != 0, truncated: flags & 0x0200 != 0,
                           rcode: UInt8(flags & 0x000f), answers: records)
    }

    /// Encodes `name` as length-prefixed labels; `\.` and `\DDD` escapes are honoured.
    static func encodeName(_ name: String, into out: inout [UInt8]) throws(DNSFormatError) {
        var labels: [[UInt8]] = [[]]
        var bytes = Array(name.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "\\"), let next = bytes.first {
                if next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9"), bytes.count >= 3,
                   let value = UInt8(String(decoding: bytes.prefix(3), as: UTF8.self)) {
                    labels[labels.count - 1].append(value)
                    bytes = bytes.dropFirst(3)
                } else {
                    labels[labels.count - 1].append(next)
                    bytes = bytes.dropFirst()
                }
            } else if byte == UInt8(ascii: ".") {
                labels.append([])
            } else {
                labels[labels.count - 1].append(byte)
            }
        }
        if labels.last?.isEmpty == true { labels.removeLast() }
        var total = 1
        for label in labels {
            guard !label.isEmpty else { throw DNSFormatError(offset: 0, "empty label in name \"\(name)\"") }
            guard label.count <= 63 else { throw DNSFormatError(offset: 0, "label longer than 63 bytes in name \"\(name)\"") }
            total += label.count + 1
            out.append(UInt8(label.count))
            out += label
        }
        guard total <= 255 else { throw DNSFormatError(offset: 0, "name \"\(name)\" is longer than 255 bytes") }
        out.append(0)
    }

    private static func append16(_ out: inout [UInt8], _ value: UInt16) {
        out.append(UInt8(value >> 8))
        out.append(UInt8(value & 0xff))
    }
}
