import PharosCore

/// Constants of block chunk segment files (Docs/formats/chunks.md).
package enum ChunkFileFormat {
    package static let magic: UInt32 = 0x85BD_40DD
    package static let version: UInt8 = 1
    /// magic, version, 3 bytes of padding.
    package static let headerSize = 8
    package static let defaultSegmentSize = 512 * 1024 * 1024

    /// `chunks/000001` for position 0.
    package static func name(position: Int) -> String {
        let digits = String(position + 1)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}

/// Appends chunks to `chunks/000001`, `000002`, … and hands out their refs
/// (`file position << 32 | offset`). Call `finish()` once at the end. Not thread-safe.
package struct ChunkFileWriter {
    package let directory: String
    private let segmentSize: Int
    private var position = -1
    private var buffer = ByteWriter()
    private var fd: Int32 = -1
    /// Bytes in the current file, written or buffered.
    private var fileSize = 0

    package init(directory: String, segmentSize: Int = ChunkFileFormat.defaultSegmentSize) throws(TSDBError) {
        self.directory = directory
        self.segmentSize = segmentSize
        try BlockFiles.run { () throws(TSDBError) in try PosixFile.makeDirectory(directory) }
    }

    /// Writes one chunk and returns its ref.
    package mutating func append(encoding: UInt8, data: [UInt8]) throws(TSDBError) -> UInt64 {
        var header = ByteWriter(capacity: 11)
        header.putUvarint(UInt64(data.count))
        let size = header.count + 1 + data.count + 4
        if fd < 0 || (fileSize + size > segmentSize && fileSize > ChunkFileFormat.headerSize) {
            try cut()
        }
        guard fileSize <= Int(UInt32.max) else {
            throw TSDBError(.invalidOptions, "chunk file offset \(fileSize) exceeds 32 bits", location: directory)
        }
        let ref = UInt64(position) << 32 | UInt64(fileSize)
        buffer.putBytes(header.bytes)
        buffer.putByte(encoding)
        buffer.putBytes(data)
        buffer.putBE32(CRC32C.update(CRC32C.checksum(CollectionOfOne(encoding)), data))
        fileSize += size
        if buffer.count >= 4 << 20 { try flush() }
        return ref
    }

    /// Flushes, fsyncs and closes the last file.
    package mutating func finish() throws(TSDBError) {
        try closeFile()
    }

    private mutating func cut() throws(TSDBError) {
        try closeFile()
        position += 1
        let path = directory + "/" + ChunkFileFormat.name(position: position)
        fd = try BlockFiles.run { () throws(TSDBError) in try PosixFile.openForAppend(path) }
        buffer.putBE32(ChunkFileFormat.magic)
        buffer.putByte(ChunkFileFormat.version)
        buffer.putBytes([0, 0, 0])
        fileSize = ChunkFileFormat.headerSize
    }

    private mutating func flush() throws(TSDBError) {
        guard fd >= 0, buffer.count > 0 else { return }
        let bytes = buffer.bytes, fd = fd, path = directory + "/" + ChunkFileFormat.name(position: position)
        buffer = ByteWriter()
        try BlockFiles.run { () throws(TSDBError) in try PosixFile.writeAll(fd, bytes, path: path) }
    }

    private mutating func closeFile() throws(TSDBError) {
        guard fd >= 0 else { return }
        try flush()
        let fd = fd, path = directory + "/" + ChunkFileFormat.name(position: position)
        self.fd = -1
        defer { PosixFile.close(fd) }
        try BlockFiles.run { () throws(TSDBError) in try PosixFile.sync(fd, path: path) }
    }
}

/// Reads chunks by ref from a block's mapped `chunks/` files. Immutable, Sendable.
package final class ChunkFileReader: Sendable {
    package let files: [MappedFile]

    /// Maps every chunk file in `directory` (name order) and checks each header.
    package init(directory: String) throws(TSDBError) {
        let names = try BlockFiles.run { () throws(TSDBError) in try PosixFile.list(directory) }
            .filter { name in !name.isEmpty && name.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
            .sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }
        var files: [MappedFile] = []
        for name in names {
            let file = try MappedFile(path: directory + "/" + name)
            var reader = ByteReader(file.bytes)
            let magic = (try? reader.be32()) ?? 0
            guard file.count >= ChunkFileFormat.headerSize, magic == ChunkFileFormat.magic else {
                throw TSDBError(.corruptBlock, "invalid chunk file header (magic \(hex(magic, width: 8)))", location: "\(file.path) at byte 0")
            }
            let version = file.bytes[4]
            guard version == ChunkFileFormat.version else {
                throw TSDBError(.corruptBlock, "unsupported chunk file version \(version); want 1", location: "\(file.path) at byte 4")
            }
            files.append(file)
        }
        self.files = files
    }

    /// The chunk at `ref`: its encoding byte and data, checksum verified.
    package func chunk(_ ref: UInt64) throws(TSDBError) -> (encoding: UInt8, data: [UInt8]) {
        let position = Int(ref >> 32), offset = Int(ref & 0xFFFF_FFFF)
        guard position < files.count else {
            throw TSDBError(.corruptBlock, "chunk ref \(hex(ref, width: 16)) names file position \(position) of \(files.count)", location: "chunks")
        }
        let file = files[position]
        guard offset >= ChunkFileFormat.headerSize, offset < file.count else {
            throw TSDBError(.corruptBlock, "chunk ref \(hex(ref, width: 16)) is outside the file", location: "\(file.path) at byte \(offset)")
        }
        var reader = ByteReader(file.bytes, offset: offset)
        do {
            let length = try reader.count()
            let start = reader.offset
            guard length <= reader.remaining - 5 else {
                throw ByteReader.Failure(offset: offset, reason: "chunk of \(length) bytes runs past the end of the file")
            }
            let covered = UnsafeRawBufferPointer(rebasing: file.bytes[start..<start + 1 + length])
            var crcReader = ByteReader(file.bytes, offset: start + 1 + length)
            let want = try crcReader.be32()
            let got = CRC32C.update(0, covered)
            guard want == got else {
                throw ByteReader.Failure(offset: offset, reason: "chunk checksum mismatch (want \(hex(want, width: 8)), got \(hex(got, width: 8)))")
            }
            return (file.bytes[start], Array(covered.dropFirst()))
        } catch let failure as ByteReader.Failure {
            throw TSDBError(.corruptBlock, failure.reason, location: "\(file.path) at byte \(failure.offset)")
        } catch {
            throw TSDBError(.corruptBlock, "\(error)", location: "\(file.path) at byte \(offset)")
        }
    }
}
