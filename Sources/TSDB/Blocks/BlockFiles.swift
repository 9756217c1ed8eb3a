/// File helpers for block writing, reporting failures as `TSDBError` `.io`.
package enum BlockFiles {
    /// Creates or replaces `path` with `bytes` and fsyncs it.
    package static func writeFile(_ path: String, _ bytes: [UInt8]) throws(TSDBError) {
        do throws(TSDBError) {
            try PosixFile.remove(path)
            let fd = try PosixFile.openForAppend(path)
            defer { PosixFile.close(fd) }
            try PosixFile.writeAll(fd, bytes, path: path)
            try PosixFile.sync(fd, path: path)
        } catch {
            throw error.relocated(to: path)
        }
    }

    /// Replaces `path` with `bytes` atomically: writes `<path>.tmp`, fsyncs it, renames it over
    /// `path` and fsyncs the folder. A crash leaves the old or the new content; hard links to
    /// the old file (snapshots) keep the old content.
    package static func replaceFile(_ path: String, _ bytes: [UInt8]) throws(TSDBError) {
        let temporary = path + ".tmp"
        do throws(TSDBError) {
            try writeFile(temporary, bytes)
            try PosixFile.rename(temporary, path)
            try PosixFile.syncDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]).nonEmpty ?? ".")
        } catch {
            try? PosixFile.remove(temporary)
            throw error.relocated(to: path)
        }
    }

    /// Runs a `PosixFile` operation, reporting its error at `block files` (not `wal`).
    package static func run<R>(_ body: () throws(TSDBError) -> R) throws(TSDBError) -> R {
        do { return try body() } catch {
            throw error.relocated(to: "block files")
        }
    }
}

extension String {
    /// Nil for "".
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension TSDBError {
    /// The same error reported at `location` (PosixFile errors default to the WAL's).
    func relocated(to location: String) -> TSDBError {
        var error = self
        error.location = location
        error.segment = nil
        error.offset = nil
        return error
    }
}
