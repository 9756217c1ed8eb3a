/// File helpers for block writing, reporting failures as `TSDBError` `.io`.
package enum BlockFiles {
    /// Creates or replaces `path` with `bytes` and fsyncs it.
    package static func writeFile(_ path: String, _ bytes: [UInt8]) throws(TSDBError) {
        do throws(WALError) {
            try PosixFile.remove(path)
            let fd = try PosixFile.openForAppend(path)
            defer { PosixFile.close(fd) }
            try PosixFile.writeAll(fd, bytes, path: path)
            try PosixFile.sync(fd, path: path)
        } catch {
            throw TSDBError(.io, error.message, location: path, underlying: error)
        }
    }

    /// Runs a `PosixFile` operation, converting its error.
    package static func run<R>(_ body: () throws(WALError) -> R) throws(TSDBError) -> R {
        do { return try body() } catch {
            throw TSDBError(.io, error.message, location: "block files", underlying: error)
        }
    }
}
