/// The `tombstones` file of a block (Docs/formats/tombstones.md): encode, decode, read, write.
package enum TombstonesFile {
    package static let name = "tombstones"
    package static let magic: UInt32 = 0x0130_BA30
    package static let version: UInt8 = 1
    /// Magic, version byte and CRC: the size of a file without stones.
    package static let frameSize = 9

    /// The file's bytes: magic, version, stones sorted by ref then mint, CRC32C of the stones.
    package static func encode(_ tombstones: Tombstones) -> [UInt8] {
        var writer = ByteWriter(capacity: frameSize + tombstones.total * 12)
        writer.putBE32(magic)
        writer.putByte(version)
        for stone in tombstones.stones {
            writer.putUvarint(stone.ref)
            writer.putVarint(stone.interval.mint)
            writer.putVarint(stone.interval.maxt)
        }
        let crc = CRC32C.checksum(writer.bytes[5...])
        writer.putBE32(crc)
        return writer.bytes
    }

    /// Decodes a whole file; stones of one ref are merged. `path` only names the file in errors.
    /// - Throws: `TSDBError` `.corruptBlock` located at `path at byte N` for a short file, a
    ///   wrong magic or version, a checksum mismatch, a stone cut short or `mint > maxt`.
    ///   Never traps on any input.
    package static func decode(_ bytes: [UInt8], path: String) throws(TSDBError) -> Tombstones {
        func corrupt(_ offset: Int, _ message: String) -> TSDBError {
            TSDBError(.corruptBlock, message, location: "\(path) at byte \(offset)")
        }
        guard bytes.count >= frameSize else {
            throw corrupt(0, "tombstones file of \(bytes.count) bytes is shorter than its \(frameSize)-byte frame")
        }
        let stonesEnd = bytes.count - 4
        let result = bytes.withUnsafeBytes { raw in Result { () throws(TSDBError) -> Tombstones in
            // The frame: the length check above makes these reads safe.
            let found = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
            guard found == magic else {
                throw corrupt(0, "invalid tombstones magic \(hex(found, width: 8)); want \(hex(magic, width: 8))")
            }
            guard raw[4] == version else {
                throw corrupt(4, "unsupported tombstones version \(raw[4]); want \(version)")
            }
            let want = (stonesEnd..<stonesEnd + 4).reduce(UInt32(0)) { $0 << 8 | UInt32(raw[$1]) }
            let got = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[5..<stonesEnd]))
            guard want == got else {
                throw corrupt(stonesEnd, "tombstones checksum mismatch (want \(hex(want, width: 8)), got \(hex(got, width: 8)))")
            }
            // Only the stones, so a varint can never read into the checksum.
            var stones = ByteReader(UnsafeRawBufferPointer(rebasing: raw[..<stonesEnd]), offset: 5)
            var result = Tombstones()
            var number = 0
            while !stones.isAtEnd {
                number += 1
                let start = stones.offset
                let ref: UInt64, mint: Int64, maxt: Int64
                do throws(ByteReader.Failure) {
                    ref = try stones.uvarint()
                    mint = try stones.varint()
                    maxt = try stones.varint()
                } catch {
                    throw corrupt(error.offset, "cannot read stone \(number): \(error.reason)")
                }
                guard mint <= maxt else {
                    throw corrupt(start, "stone \(number) of series \(ref): mint \(mint) is after maxt \(maxt)")
                }
                result.add(ref, TimeInterval(mint, maxt))
            }
            return result
        } }
        return try result.get()
    }

    /// Reads `<blockDirectory>/tombstones`; a missing file is no tombstones.
    /// - Throws: `.io` when the file exists but cannot be read, or `decode`'s errors.
    package static func read(blockDirectory: String) throws(TSDBError) -> Tombstones {
        let path = blockDirectory + "/" + name
        guard PosixFile.size(path) != nil else { return Tombstones() }
        let bytes: [UInt8]
        do { bytes = try PosixFile.readAll(path) } catch {
            throw TSDBError(.io, error.message, location: path, underlying: error)
        }
        return try decode(bytes, path: path)
    }

    /// Replaces `<blockDirectory>/tombstones` atomically (written as `.tmp`, fsynced, renamed).
    package static func write(_ tombstones: Tombstones, blockDirectory: String) throws(TSDBError) {
        try BlockFiles.replaceFile(blockDirectory + "/" + name, encode(tombstones))
    }
}
