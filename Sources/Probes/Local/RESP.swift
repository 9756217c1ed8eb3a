/// A Redis RESP2 reply, parsed from bytes (the redis prober's wire format).
package enum RESPValue: Sendable, Hashable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RESPValue]?)

    /// Encodes a command as an array of bulk strings.
    package static func command(_ parts: [String]) -> [UInt8] {
        var out = Array("*\(parts.count)\r\n".utf8)
        for part in parts { out += Array("$\(part.utf8.count)\r\n".utf8) + Array(part.utf8) + [13, 10] }
        return out
    }
}

/// A malformed RESP reply: where and why.
package struct RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    package var offset: Int
    package var reason: String
    package var description: String { "redis: bad reply at byte \(offset): \(reason)" }
}

/// Parses one reply from the front of `bytes`: nil when more bytes are needed, otherwise the
/// value and the bytes it used. Throws for input that can never be valid.
package enum RESPParser {
    package static func parse(_ bytes: [UInt8], from start: Int = 0, depth: Int = 0) throws(RESPError) -> (RESPValue, Int)? {
        guard depth < 32 else { throw RESPError(offset: start, reason: "nesting too deep") }
        guard start < bytes.count else { return nil }
        guard let lineEnd = lineEnd(bytes, start + 1) else {
            if bytes.count - start > 64 * 1024 { throw RESPError(offset: start, reason: "line too long") }
            return nil
        }
        let line = String(decoding: bytes[(start + 1)..<lineEnd], as: UTF8.self)
        let next = lineEnd + 2
        switch bytes[start] {
        case UInt8(ascii: "+"): return (.simple(line), next)
        case UInt8(ascii: "-"): return (.error(line), next)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw RESPError(offset: start + 1, reason: "bad integer \(goQuoteLike(line))") }
            return (.integer(value), next)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= 512 * 1024 * 1024 else {
                throw RESPError(offset: start + 1, reason: "bad bulk length \(goQuoteLike(line))")
            }
            if length == -1 { return (.bulk(nil), next) }
            guard bytes.count >= next + length + 2 else { return nil }
            guard bytes[next + length] == 13, bytes[next + length + 1] == 10 else {
                throw RESPError(offset: next + length, reason: "bulk string not followed by CRLF")
            }
            return (.bulk(Array(bytes[next..<(next + length)])), next + length + 2)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= 1 << 20 else {
                throw RESPError(offset: start + 1, reason: "bad array length \(goQuoteLike(line))")
            }
            if count == -1 { return (.array(nil), next) }
            var items: [RESPValue] = []
            var offset = next
            for _ in 0..<count {
                guard let (item, after) = try parse(bytes, from: offset, depth: depth + 1) else { return nil }
                items.append(item)
                offset = after
            }
            return (.array(items), offset)
        default:
            throw RESPError(offset: start, reason: "unknown reply type \(goQuoteLike(String(decoding: [bytes[start]], as: UTF8.self)))")
        }
    }

    static func lineEnd(_ bytes: [UInt8], _ from: Int) -> Int? {
        var index = from
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    static func goQuoteLike(_ text: String) -> String { "\"" + text + "\"" }
}
