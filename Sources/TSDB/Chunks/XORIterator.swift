import PharosCore

/// Decodes an XOR chunk (see `XORChunk`) forward. Reads only what the header announces;
/// truncated or corrupted bytes end iteration with `error` set instead of trapping.
package struct XORIterator: SampleIterator {
    private var reader: BitStreamReader
    private let total: Int
    private var read = 0
    private var timestamp: Timestamp = 0
    private var value: Double = 0
    private var delta: UInt64 = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0
    private var done = false
    /// Set when the bytes ended early or held an impossible encoding.
    package private(set) var error: TSDBError?

    /// Iterates `bytes`, which must start with the 2-byte sample count header.
    package init(bytes: [UInt8]) {
        reader = BitStreamReader(bytes: bytes, startingAtByte: 2)
        if bytes.count >= 2 {
            total = Int(bytes[0]) << 8 | Int(bytes[1])
        } else {
            total = 0
            if !bytes.isEmpty { error = TSDBError(.corruptChunk, "chunk of \(bytes.count) byte(s) has no 2-byte header") }
        }
    }

    /// Number of samples the header announces.
    package var announcedCount: Int { total }

    package var current: (timestamp: Timestamp, value: Double) { (timestamp, value) }

    package mutating func next() -> Bool {
        guard !done, error == nil, read < total else {
            done = true
            return false
        }
        let ok: Bool
        switch read {
        case 0: ok = readFirst()
        case 1: ok = readSecond()
        default: ok = readNext()
        }
        guard ok else {
            done = true
            if error == nil {
                error = TSDBError(.corruptChunk, "chunk ends inside sample \(read + 1) of \(total)")
            }
            return false
        }
        read += 1
        return true
    }

    package mutating func seek(to target: Timestamp) -> Bool {
        if done { return false }
        if read > 0 && timestamp >= target { return true }
        while next() {
            if timestamp >= target { return true }
        }
        return false
    }

    private mutating func readFirst() -> Bool {
        guard let t = reader.readVarint(), let bits = reader.readBits(64) else { return false }
        timestamp = t
        value = Double(bitPattern: bits)
        return true
    }

    private mutating func readSecond() -> Bool {
        guard let d = reader.readUvarint() else { return false }
        delta = d
        timestamp = timestamp &+ Int64(bitPattern: d)
        return readValue()
    }

    private mutating func readNext() -> Bool {
        var prefix = 0
        for _ in 0..<4 {
            guard let bit = reader.readBit() else { return false }
            if !bit { break }
            prefix += 1
        }
        var dod: Int64 = 0
        let size: Int
        switch prefix {
        case 0: size = 0
        case 1: size = 14
        case 2: size = 17
        case 3: size = 20
        default: size = 64
        }
        if size > 0 {
            guard var bits = reader.readBits(size) else { return false }
            if size < 64 && bits > UInt64(1) << UInt64(size - 1) {
                bits = bits &- (UInt64(1) << UInt64(size)) // sign-extend the two's complement field
            }
            dod = Int64(bitPattern: bits)
        }
        delta = UInt64(bitPattern: Int64(bitPattern: delta) &+ dod)
        timestamp = timestamp &+ Int64(bitPattern: delta)
        return readValue()
    }

    private mutating func readValue() -> Bool {
        guard let changed = reader.readBit() else { return false }
        if !changed { return true }
        guard let newWindow = reader.readBit() else { return false }
        if newWindow {
            guard let lead = reader.readBits(5), var significant = reader.readBits(6) else { return false }
            if significant == 0 { significant = 64 }
            guard Int(lead) + Int(significant) <= 64 else {
                error = TSDBError(.corruptChunk, "sample \(read + 1) has \(lead) leading zeros and \(significant) significant bits")
                return false
            }
            leading = UInt8(lead)
            trailing = UInt8(64 - Int(lead) - Int(significant))
        }
        let width = 64 - Int(leading) - Int(trailing)
        guard let bits = reader.readBits(width) else { return false }
        value = Double(bitPattern: value.bitPattern ^ (bits << UInt64(trailing)))
        return true
    }
}
