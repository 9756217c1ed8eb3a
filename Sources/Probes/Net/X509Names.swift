/// The issuer and subject of a DER certificate, as Go's `pkix.Name.String()` prints them
/// (RDNs last to first, `CN=…,O=…`), plus their raw DER for chain matching.
struct X509Names {
    var issuerDER: [UInt8]
    var subjectDER: [UInt8]
    var issuer: String
    var subject: String

    init?(der: [UInt8]) {
        var reader = DERReader(der[...])
        guard let certificate = reader.read(tag: 0x30) else { return nil }
        var cert = DERReader(certificate.content)
        guard let tbs = cert.read(tag: 0x30) else { return nil }
        var fields = DERReader(tbs.content)
        if fields.peekTag == 0xA0 { _ = fields.readAny() }  // version
        guard fields.read(tag: 0x02) != nil, fields.read(tag: 0x30) != nil,  // serial, signature algorithm
              let issuer = fields.read(tag: 0x30), fields.read(tag: 0x30) != nil,  // issuer, validity
              let subject = fields.read(tag: 0x30) else { return nil }
        issuerDER = Array(issuer.whole)
        subjectDER = Array(subject.whole)
        self.issuer = Self.format(issuer.content)
        self.subject = Self.format(subject.content)
    }

    static let shortNames: [String: String] = [
        "2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.3": "CN", "2.5.4.5": "SERIALNUMBER",
        "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.17": "POSTALCODE",
    ]

    static func format(_ name: ArraySlice<UInt8>) -> String {
        var rdns: [String] = []
        var sequence = DERReader(name)
        while let set = sequence.readAny() {
            var attributes = DERReader(set.content)
            var parts: [String] = []
            while let attribute = attributes.read(tag: 0x30) {
                var pair = DERReader(attribute.content)
                guard let oid = pair.read(tag: 0x06), let value = pair.readAny() else { continue }
                let oidText = oidString(oid.content)
                if let short = shortNames[oidText] {
                    parts.append(short + "=" + escape(String(decoding: value.content, as: UTF8.self)))
                } else {
                    parts.append(oidText + "=#" + value.whole.map { hex($0) }.joined())
                }
            }
            rdns.append(parts.joined(separator: "+"))
        }
        return rdns.reversed().joined(separator: ",")
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    static func oidString(_ bytes: ArraySlice<UInt8>) -> String {
        guard let first = bytes.first else { return "" }
        var parts = [String(first / 40), String(first % 40)]
        var value = 0
        for byte in bytes.dropFirst() {
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 { parts.append(String(value)); value = 0 }
        }
        return parts.joined(separator: ".")
    }

    /// RFC 2253 escaping as Go's `escapeString`.
    static func escape(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        for (index, character) in characters.enumerated() {
            let special = ",+\"\\<>;".contains(character)
            let edgeSpace = character == " " && (index == 0 || index == characters.count - 1)
            let leadingHash = character == "#" && index == 0
            if special || edgeSpace || leadingHash { out += "\\" }
            out.append(character)
        }
        return out
    }
}

/// A minimal DER TLV reader (definite lengths only).
struct DERReader {
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>
        var whole: ArraySlice<UInt8>
    }

    var bytes: ArraySlice<UInt8>
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var peekTag: UInt8? { bytes.first }

    mutating func read(tag: UInt8) -> Element? {
        guard peekTag == tag else { return nil }
        return readAny()
    }

    mutating func readAny() -> Element? {
        let start = bytes.startIndex
        guard bytes.count >= 2 else { return nil }
        let tag = bytes[start]
        var index = start + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 4, bytes.endIndex - index >= count else { return nil }
            length = 0
            for _ in 0..<count { length = length << 8 | Int(bytes[index]); index += 1 }
        }
        guard length >= 0, bytes.endIndex - index >= length else { return nil }
        let element = Element(tag: tag, content: bytes[index..<index + length], whole: bytes[start..<index + length])
        bytes = bytes[(index + length)...]
        return element
    }
}
