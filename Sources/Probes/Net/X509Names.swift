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

/// SHA-256 (FIPS 180-4), for certificate fingerprints.
enum SHA256Digest {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hash(_ input: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var message = input
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        let bits = UInt64(input.count) * 8
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: message.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(message[j]) << 24 | UInt32(message[j + 1]) << 16 | UInt32(message[j + 2]) << 8 | UInt32(message[j + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, value) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ value }
        }
        return h.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }

    static func hex(_ input: [UInt8]) -> String { hash(input).map { X509Names.hex($0) }.joined() }
}
