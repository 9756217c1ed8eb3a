#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only with `mmap`; unmapped when the object is released.
///
/// The bytes stay valid for the object's lifetime; never write to the file while mapped (block
/// files are immutable). Thread-safe: the mapping is read-only.
package final class MappedFile: @unchecked Sendable {
    package let path: String
    /// The mapped bytes (empty for an empty file).
    package let bytes: UnsafeRawBufferPointer

    /// Maps `path`. Throws `TSDBError` `.io` when it cannot be opened or mapped.
    package init(path: String) throws(TSDBError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw MappedFile.ioError("open", path) }
        defer { _ = close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw MappedFile.ioError("fstat", path) }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), address != MAP_FAILED else {
            throw MappedFile.ioError("mmap", path)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    package var count: Int { bytes.count }

    static func ioError(_ call: String, _ path: String) -> TSDBError {
        let code = errno
        return TSDBError(.io, "\(call): \(String(cString: strerror(code))) (errno \(code))", location: path)
    }
}


import PharosCore
