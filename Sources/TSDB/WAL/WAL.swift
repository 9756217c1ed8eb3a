import Logging
import Snappy
import Synchronization

/// Prometheus-compatible write-ahead log: numbered segment files of 32 KiB pages holding
/// CRC32C-checked record fragments (Docs/formats/wal.md).
///
/// Thread-safety: all methods may be called from any thread; a `Mutex` serialises them, so
/// records of one `log` call are contiguous on disk. Opening never appends to an existing
/// segment: the first `log` starts a segment numbered one past the highest existing one.
/// Call `replay` (once, before the first `log`) to read what earlier runs wrote.
package final class WAL: Sendable {
    package let directory: String
    package let segmentSize: Int
    /// How records written by this instance are compressed (reading accepts both).
    package let compression: WALCompression
    let logger: Logger?

    struct State: Sendable {
        /// Open segment's descriptor, or -1 when none is open yet.
        var fd: Int32 = -1
        /// Index of the open segment (meaningful when `fd >= 0`).
        var segment = 0
        /// Index the next created segment gets.
        var nextSegment: Int
        var layout: WALPageLayout
        var closed = false
        /// Reused across `log` calls: the record being encoded, its snappy block, and the
        /// bytes of one write.
        var encoder = ByteWriter()
        var compressed: [UInt8] = []
        var output: [UInt8] = []
    }

    let state: Mutex<State>

    /// Opens (creating if needed) the WAL in `directory`.
    ///
    /// - Parameters:
    ///   - segmentSize: nominal segment size, a multiple of 32 KiB (default 128 MiB).
    ///   - compression: how `log` writes records (default snappy, as Prometheus).
    /// - Throws: `TSDBError` `.invalidArgument` for a bad size, `.io` when the folder cannot be
    ///   created or listed.
    package init(directory: String, segmentSize: Int = WALFormat.defaultSegmentSize,
                 compression: WALCompression = .snappy, logger: Logger? = nil) throws {
        guard segmentSize >= WALFormat.pageSize, segmentSize % WALFormat.pageSize == 0 else {
            throw TSDBError.wal(kind: .invalidArgument,
                           message: "segment size \(segmentSize) is not a positive multiple of the \(WALFormat.pageSize)-byte page")
        }
        self.directory = directory
        self.segmentSize = segmentSize
        self.compression = compression
        self.logger = logger
        try PosixFile.makeDirectory(directory)
        let existing = try WAL.listSegments(directory)
        let checkpoint = try WAL.listCheckpoints(directory).last
        let next = max((existing.last ?? -1) + 1, (checkpoint ?? -1) + 1)
        state = Mutex(State(nextSegment: next, layout: WALPageLayout(segmentSize: segmentSize)))
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { PosixFile.close(state.fd) }
        }
    }

    func path(of segment: Int) -> String { directory + "/" + WALSegmentName.name(segment) }

    /// Encodes `records` and writes them, each whole, in order.
    ///
    /// When it returns, every byte has been handed to the OS with `write(2)` (it survives the
    /// process being killed, not a power loss: call `sync()` for that). A record that does not
    /// fit in the open segment starts the next one (the finished one is fsynced first).
    /// - Throws: `TSDBError` `.io` or `.closed`. On a failed write the open segment is cut back
    ///   to its length before that write, so no torn record remains; records of the same call
    ///   already written to a segment finished by a rotation stay (replay sees a prefix).
    package func log(_ records: [WALRecord]) throws {
        try state.withLock { (state: inout State) throws(TSDBError) in
            guard !state.closed else { throw TSDBError.wal(kind: .closed, message: "cannot log: the WAL is closed") }
            // Encode each record into one reused buffer, frame it into one reused output buffer,
            // and hand the output to the OS with a single write (more only across a rotation).
            var encoder = state.encoder, compressed = state.compressed, buffer = state.output
            state.encoder = ByteWriter()
            state.compressed = []
            state.output = []
            defer {
                encoder.reset()
                buffer.removeAll(keepingCapacity: true)
                state.encoder = encoder
                state.compressed = compressed
                state.output = buffer
            }
            for record in records {
                encoder.reset()
                record.encode(into: &encoder)
                let length = compression == .snappy ? Self.compress(encoder, into: &compressed) : nil
                if state.fd < 0 {
                    try openNextSegment(&state)
                } else if !state.layout.fits(recordLength: length ?? encoder.count) && !state.layout.isEmpty {
                    try write(&buffer, state: &state)
                    try finishSegment(&state)
                    try openNextSegment(&state)
                }
                if let length {
                    compressed.withUnsafeBytes {
                        state.layout.append(record: UnsafeRawBufferPointer(rebasing: $0[..<length]), snappy: true, into: &buffer)
                    }
                } else {
                    encoder.withUnsafeBytes { state.layout.append(record: $0, into: &buffer) }
                }
            }
            try write(&buffer, state: &state)
        }
    }

    /// Snappy-compresses the encoded record into `scratch` (grown as needed, never shrunk) and
    /// returns the block's length, or nil when it would not be shorter than the record (then
    /// the record is written as is, as Prometheus does).
    private static func compress(_ encoder: ByteWriter, into scratch: inout [UInt8]) -> Int? {
        guard encoder.count > 0 else { return nil }
        let bound = Snappy.maxCompressedLength(encoder.count)
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
        let length = encoder.withUnsafeBytes { record in
            scratch.withUnsafeMutableBytes { Snappy.compress(record, into: $0) }
        }
        return length < encoder.count ? length : nil
    }

    /// Writes `buffer` (which ends at `state.layout.segmentOffset`) to the open segment.
    private func write(_ buffer: inout [UInt8], state: inout State) throws(TSDBError) {
        guard !buffer.isEmpty else { return }
        let start = state.layout.segmentOffset - buffer.count
        let fd = state.fd, segment = state.segment, path = path(of: segment)
        let result: Result<Void, TSDBError> = buffer.withUnsafeBytes { bytes in
            Result { () throws(TSDBError) in try PosixFile.writeAll(fd, bytes, path: path, segment: segment) }
        }
        buffer.removeAll(keepingCapacity: true)
        if case .failure(let error) = result {
            try? PosixFile.truncate(fd: fd, to: start, path: path)
            state.layout = WALPageLayout(segmentSize: segmentSize, segmentOffset: start)
            throw error
        }
    }

    /// Pads the open segment's last page, fsyncs and closes it.
    private func finishSegment(_ state: inout State) throws(TSDBError) {
        var padding: [UInt8] = []
        state.layout.padPage(into: &padding)
        try write(&padding, state: &state)
        try PosixFile.sync(state.fd, path: path(of: state.segment), segment: state.segment)
        PosixFile.close(state.fd)
        state.fd = -1
    }

    private func openNextSegment(_ state: inout State) throws(TSDBError) {
        let index = state.nextSegment
        state.fd = try PosixFile.openForAppend(path(of: index), segment: index)
        state.segment = index
        state.nextSegment = index + 1
        state.layout = WALPageLayout(segmentSize: segmentSize)
        try PosixFile.syncDirectory(directory)
    }

    /// fsyncs the open segment: everything logged so far survives a power loss.
    package func sync() throws {
        try state.withLock { (state: inout State) throws(TSDBError) in
            guard state.fd >= 0 else { return }
            try PosixFile.sync(state.fd, path: path(of: state.segment), segment: state.segment)
        }
    }

    /// Starts a new segment now (no-op when the open segment is empty or none is open).
    package func cutSegment() throws {
        try state.withLock { (state: inout State) throws(TSDBError) in
            guard state.fd >= 0, !state.layout.isEmpty else { return }
            try finishSegment(&state)
        }
    }

    /// Indexes of the segment files on disk, ascending.
    package func segments() throws -> [Int] { try WAL.listSegments(directory) }

    /// The index of the segment the next `log` creates (when none is open).
    package var nextSegment: Int { state.withLock { $0.nextSegment } }

    /// The open segment's index, or nil before the first `log`.
    package var currentSegment: Int? { state.withLock { $0.fd >= 0 ? $0.segment : nil } }

    /// Deletes every segment whose index is below `segment`, never the open one.
    package func truncate(before segment: Int) throws {
        let limit = state.withLock { $0.fd >= 0 ? min(segment, $0.segment) : segment }
        for index in try WAL.listSegments(directory) where index < limit {
            try PosixFile.remove(path(of: index))
        }
        try PosixFile.syncDirectory(directory)
    }

    /// fsyncs and closes the open segment; later `log` calls throw `.closed`. Idempotent.
    package func close() throws {
        try state.withLock { (state: inout State) throws(TSDBError) in
            guard !state.closed else { return }
            state.closed = true
            guard state.fd >= 0 else { return }
            defer { PosixFile.close(state.fd); state.fd = -1 }
            try PosixFile.sync(state.fd, path: path(of: state.segment), segment: state.segment)
        }
    }

    static func listSegments(_ directory: String) throws(TSDBError) -> [Int] {
        try PosixFile.list(directory).compactMap(WALSegmentName.index).sorted()
    }

    /// Indexes N of the `checkpoint.N` folders, ascending (unfinished `.tmp` ones excluded).
    static func listCheckpoints(_ directory: String) throws(TSDBError) -> [Int] {
        try PosixFile.list(directory).compactMap { name -> Int? in
            guard name.hasPrefix("checkpoint."), !name.hasSuffix(".tmp") else { return nil }
            return WALSegmentName.index(String(name.dropFirst("checkpoint.".count)))
        }.sorted()
    }
}
