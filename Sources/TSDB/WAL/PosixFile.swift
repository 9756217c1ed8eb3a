#if canImport(Glibc)
import Glibc
private let systemTruncate = Glibc.truncate
private let systemClose = Glibc.close
private let systemRename = Glibc.rename
private let systemLink = Glibc.link
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemTruncate = Darwin.truncate
private let systemClose = Darwin.close
private let systemRename = Darwin.rename
private let systemLink = Darwin.link
private let systemRead = Darwin.read
#endif

/// Thin, throwing wrappers over the POSIX calls the WAL and block files use. Errors are
/// `TSDBError` of kind `.io` located at the WAL (and segment, when given; `BlockFiles`
/// relocates them), whose message names the call, the path and `strerror(errno)`.
package enum PosixFile {
    private static func failure(_ call: String, _ path: String, segment: Int? = nil) -> TSDBError {
        let code = errno
        return TSDBError.wal(kind: .io, segment: segment, message: "\(call) \(path): \(String(cString: strerror(code))) (errno \(code))")
    }

    /// Opens `path` for appending writes, creating it (mode 0644) if needed; returns the fd.
    package static func openForAppend(_ path: String, segment: Int? = nil) throws(TSDBError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure("open", path, segment: segment) }
        return fd
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes and EINTR.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String, segment: Int? = nil) throws(TSDBError) {
        var done = 0
        while done < bytes.count {
            let written = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write", path, segment: segment)
            }
            done += written
        }
    }

    /// `writeAll` for an array.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String, segment: Int? = nil) throws(TSDBError) {
        let result: Result<Void, TSDBError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(TSDBError) in try writeAll(fd, buffer, path: path, segment: segment) }
        }
        try result.get()
    }

    package static func sync(_ fd: Int32, path: String, segment: Int? = nil) throws(TSDBError) {
        if fsync(fd) != 0 { throw failure("fsync", path, segment: segment) }
    }

    package static func truncate(_ path: String, to length: Int, segment: Int? = nil) throws(TSDBError) {
        if systemTruncate(path, off_t(length)) != 0 { throw failure("truncate", path, segment: segment) }
    }

    package static func truncate(fd: Int32, to length: Int, path: String) throws(TSDBError) {
        if ftruncate(fd, off_t(length)) != 0 { throw failure("ftruncate", path) }
    }

    package static func close(_ fd: Int32) { _ = systemClose(fd) }

    /// The whole file's bytes.
    package static func readAll(_ path: String, segment: Int? = nil) throws(TSDBError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw failure("open", path, segment: segment) }
        defer { _ = systemClose(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw failure("fstat", path, segment: segment) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        var readError: TSDBError? = nil
        bytes.withUnsafeMutableBytes { buffer in
            while done < buffer.count {
                let count = read(fd, buffer.baseAddress! + done, buffer.count - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    readError = failure("read", path, segment: segment)
                    return
                }
                if count == 0 { break }
                done += count
            }
        }
        if let readError { throw readError }
        if done < bytes.count { bytes.removeLast(bytes.count - done) }
        return bytes
    }

    /// Size in bytes, or nil when the file does not exist.
    package static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Entry names in `path` (without `.` and `..`).
    package static func list(_ path: String) throws(TSDBError) -> [String] {
        guard let dir = opendir(path) else { throw failure("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and missing parents (mode 0755); fine if it exists as a directory.
    package static func makeDirectory(_ path: String) throws(TSDBError) {
        if isDirectory(path) { return }
        let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !parent.isEmpty && !isDirectory(parent) { try makeDirectory(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("mkdir", path) }
    }

    package static func remove(_ path: String) throws(TSDBError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure("unlink", path) }
    }

    /// Removes a file or a directory tree.
    package static func removeTree(_ path: String) throws(TSDBError) {
        if isDirectory(path) {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw failure("rmdir", path) }
        } else {
            try remove(path)
        }
    }

    package static func rename(_ from: String, _ to: String) throws(TSDBError) {
        if systemRename(from, to) != 0 { throw failure("rename", from + " -> " + to) }
    }

    /// Makes `to` a hard link to `from`; where the file system refuses (another device, no
    /// link support) copies the bytes instead (and fsyncs the copy). `to` must not exist.
    package static func linkOrCopy(_ from: String, _ to: String) throws(TSDBError) {
        if systemLink(from, to) == 0 { return }
        let code = errno
        guard code == EXDEV || code == EPERM || code == EMLINK || code == ENOTSUP else { throw failure("link", from + " -> " + to) }
        let source = open(from, O_RDONLY | O_CLOEXEC)
        if source < 0 { throw failure("open", from) }
        defer { _ = systemClose(source) }
        let target = try openForAppend(to)
        defer { _ = systemClose(target) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(source, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", from)
            }
            if count == 0 { break }
            try writeAll(target, Array(buffer[..<count]), path: to)
        }
        try sync(target, path: to)
    }

    /// fsyncs a directory so created, renamed or removed entries are durable.
    package static func syncDirectory(_ path: String) throws(TSDBError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw failure("open", path) }
        defer { _ = systemClose(fd) }
        if fsync(fd) != 0 { throw failure("fsync", path) }
    }
}
