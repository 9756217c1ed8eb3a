import Foundation

/// The MIME encodings Alertmanager's e-mail uses, as Go's `mime`, `mime/quotedprintable` and
/// `net/mail` write and read them.
enum MIMEEncoding {
    /// Go's `mime.QEncoding.Encode("utf-8", s)`: `s` unchanged when it is printable ASCII,
    /// otherwise `=?utf-8?q?…?=` encoded words of at most 75 bytes, separated by a space.
    static func qEncodeHeader(_ s: String) -> String {
        let bytes = Array(s.utf8)
        if !bytes.contains(where: { ($0 < 0x20 || $0 > 0x7e) && $0 != 0x09 }) { return s }
        let prefix = "=?utf-8?q?", suffix = "?="
        let maxContent = 75 - prefix.count - suffix.count
        var words: [String] = []
        var current = ""
        // Encode whole UTF-8 sequences so a word never splits a character.
        for scalar in s.unicodeScalars {
            var piece = ""
            for b in String(scalar).utf8 {
                if b == 0x20 {
                    piece += "_"
                } else if b >= 0x21, b <= 0x7e, b != 0x3d, b != 0x3f, b != 0x5f {
                    piece.append(Character(Unicode.Scalar(b)))
                } else {
                    piece += "=" + hex2(b)
                }
            }
            if current.count + piece.count > maxContent {
                words.append(prefix + current + suffix)
                current = ""
            }
            current += piece
        }
        words.append(prefix + current + suffix)
        return words.joined(separator: " ")
    }

    /// Go's `quotedprintable.Writer` in text mode: line breaks become CRLF, lines are cut at
    /// 76 characters with soft breaks (`=`), `=`, non-ASCII bytes and white space before a
    /// line break are escaped.
    static func quotedPrintable(_ text: String) -> String {
        var out = ""
        var line = ""
        func emit(_ piece: String) {
            if line.count + piece.count > 75 {
                out += line + "=\r\n"
                line = ""
            }
            line += piece
        }
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0d || b == 0x0a {
                // Escape white space at the end of a line.
                if let last = line.last, last == " " || last == "\t" {
                    let ws = line.removeLast()
                    emit("=" + hex2(ws == " " ? 0x20 : 0x09))
                }
                out += line + "\r\n"
                line = ""
                if b == 0x0d, i + 1 < bytes.count, bytes[i + 1] == 0x0a { i += 1 }
            } else if (b >= 0x21 && b <= 0x7e && b != 0x3d) || b == 0x20 || b == 0x09 {
                emit(String(Character(Unicode.Scalar(b))))
            } else {
                emit("=" + hex2(b))
            }
            i += 1
        }
        if let last = line.last, last == " " || last == "\t" {
            let ws = line.removeLast()
            emit("=" + hex2(ws == " " ? 0x20 : 0x09))
        }
        return out + line
    }

    /// The bare addresses of an RFC 5322 address list (`Ops <ops@x>, b@y`), as Go's
    /// `mail.ParseAddressList` returns them; nil when one is malformed.
    static func addresses(_ list: String) -> [String]? {
        var parts: [String] = []
        var current = ""
        var quoted = false, angle = false
        for c in list {
            switch c {
            case "\"": quoted.toggle(); current.append(c)
            case "<" where !quoted: angle = true; current.append(c)
            case ">" where !quoted: angle = false; current.append(c)
            case "," where !quoted && !angle:
                parts.append(current)
                current = ""
            default: current.append(c)
            }
        }
        parts.append(current)
        var result: [String] = []
        for part in parts {
            var p = part.trimmingCharacters(in: .whitespaces)
            if let open = p.lastIndex(of: "<"), let close = p.lastIndex(of: ">"), open < close {
                p = String(p[p.index(after: open)..<close])
            }
            guard p.contains("@"), !p.contains(" "), !p.hasPrefix("@"), !p.hasSuffix("@") else { return nil }
            result.append(p)
        }
        return result
    }

    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
    }
}
