#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads of /proc and /sys files: `open`, `read` until end of file, `close`; no
/// `stat` (procfs reports size 0) and no Foundation.
enum SystemFile {
    /// The bytes of `path`, read with one buffer of `sizeHint` bytes that doubles while full.
    ///
    /// Throws `.notFound` for a missing file (ENOENT, ENOTDIR), `.io` for any other failure.
    static func read(_ path: String, sizeHint: Int = 8192) throws(HostMetricsError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HostMetricsError.errno(errno, path: path, doing: "open") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(sizeHint, 64))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let got = bytes.withUnsafeMutableBytes { raw in
                systemRead(fd, raw.baseAddress! + count, raw.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw HostMetricsError.errno(errno, path: path, doing: "read")
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// The file's text with surrounding ASCII white space trimmed (sysfs attribute files).
    static func readTrimmed(_ path: String) throws(HostMetricsError) -> String {
        let bytes = try read(path, sizeHint: 256)
        var range = 0..<bytes.count
        range = Bytes.trimmed(bytes, range)
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// The names in directory `path` (without `.` and `..`), in no particular order.
    static func entries(_ path: String) throws(HostMetricsError) -> [String] {
        guard let directory = opendir(path) else { throw HostMetricsError.errno(errno, path: path, doing: "opendir") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// `base` joined with `name` as Go's `filepath.Join` does for our inputs (one slash).
    static func join(_ base: String, _ name: String) -> String {
        if base.hasSuffix("/") { return name.hasPrefix("/") ? base + name.dropFirst() : base + name }
        return name.hasPrefix("/") ? base + name : base + "/" + name
    }
}

/// libc's `read(2)` (inside `SystemFile` the name means its own `read`).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
