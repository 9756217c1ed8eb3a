import PharosCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// node_exporter's `os` collector: `node_os_info` from the rootfs' /etc/os-release (else
/// /usr/lib/os-release) and `node_os_version` (the `major.minor` start of VERSION_ID, when
/// above 0). The parsed file is cached until its path or modification time changes.
final class OSCollector: NodeCollector {
    let name = "os"
    private let paths: HostPaths
    private let cache = Mutex<(path: String, mtime: timespec, release: [String: String], version: Double)?>(nil)

    private static let infoLabels = [
        ("build_id", "BUILD_ID"), ("id", "ID"), ("id_like", "ID_LIKE"), ("image_id", "IMAGE_ID"),
        ("image_version", "IMAGE_VERSION"), ("name", "NAME"), ("pretty_name", "PRETTY_NAME"), ("variant", "VARIANT"),
        ("variant_id", "VARIANT_ID"), ("version", "VERSION"), ("version_codename", "VERSION_CODENAME"),
        ("version_id", "VERSION_ID"),
    ]

    init(paths: HostPaths) { self.paths = paths }

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        var found: (release: [String: String], version: Double)?
        for file in ["/etc/os-release", "/usr/lib/os-release"] {
            let path = paths.rootfs + file  // node_exporter concatenates: `//etc/os-release` for `/`
            var info = stat()
            guard stat(path, &info) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { continue }
                throw HostMetricsError.errno(errno, path: path, doing: "stat")
            }
            let cached = cache.withLock { cache -> (release: [String: String], version: Double)? in
                guard let cache, cache.path == path, cache.mtime.tv_sec == info.st_mtim.tv_sec,
                      cache.mtime.tv_nsec == info.st_mtim.tv_nsec else { return nil }
                return (cache.release, cache.version)
            }
            if let cached {
                found = cached
            } else {
                let release = try Self.parse(try SystemFile.read(path, sizeHint: 1024), path: path)
                let version = Self.majorMinor(release["VERSION_ID"] ?? "")
                cache.withLock { $0 = (path, info.st_mtim, release, version) }
                found = (release, version)
            }
            break
        }
        guard let found else { throw HostMetricsError(.noData, path: "", "no os-release file found") }
        metrics.add("node_os_info", "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, "
                    + "name, pretty_name, variant, variant_id, version, version_codename, version_id.", .gauge, 1,
                    Self.infoLabels.map { .of($0.0, found.release[$0.1] ?? "") })
        if found.version > 0 {
            metrics.add("node_os_version", "Metric containing the major.minor part of the OS version.", .gauge, found.version,
                        [.of("id", found.release["ID"] ?? ""), .of("id_like", found.release["ID_LIKE"] ?? ""),
                         .of("name", found.release["NAME"] ?? "")])
        }
    }

    /// `^[0-9]+\.?[0-9]*` of VERSION_ID as a number; 0 when it does not start with a digit.
    static func majorMinor(_ versionID: String) -> Double {
        let bytes = Array(versionID.utf8)
        var end = 0
        while end < bytes.count && bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
        guard end > 0 else { return 0 }
        if end < bytes.count && bytes[end] == UInt8(ascii: ".") {
            end += 1
            while end < bytes.count && bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
        }
        return Bytes.double(bytes, 0..<end) ?? 0
    }

    /// os-release's shell-like assignments (`KEY=value`, `KEY="value"`, `KEY='value'`, `#`
    /// comments, an optional `export `), as hashicorp/go-envparse reads them.
    static func parse(_ bytes: [UInt8], path: String) throws(HostMetricsError) -> [String: String] {
        var result: [String: String] = [:]
        var lineNumber = 0
        try Bytes.forEachLine(bytes) { line throws(HostMetricsError) in
            lineNumber += 1
            var range = Bytes.trimmed(bytes, line)
            guard !range.isEmpty, bytes[range.lowerBound] != UInt8(ascii: "#") else { return }
            if Bytes.hasPrefix(bytes, range, "export ") { range = Bytes.trimmed(bytes, (range.lowerBound + 7)..<range.upperBound) }
            guard let equals = range.firstIndex(where: { bytes[$0] == UInt8(ascii: "=") }), equals > range.lowerBound else {
                throw .parse(path, "line \(lineNumber): expected KEY=value")
            }
            let key = Bytes.string(bytes, Bytes.trimmed(bytes, range.lowerBound..<equals))
            result[key] = try value(bytes, (equals + 1)..<range.upperBound, path: path, line: lineNumber)
        }
        return result
    }

    private static func value(_ bytes: [UInt8], _ range: Range<Int>, path: String, line: Int) throws(HostMetricsError) -> String {
        var out: [UInt8] = []
        var index = range.lowerBound
        var quote: UInt8?
        while index < range.upperBound {
            let byte = bytes[index]
            if let open = quote {
                if byte == open {
                    quote = nil
                } else if open == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\") && index + 1 < range.upperBound {
                    index += 1
                    let next = bytes[index]
                    switch next {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "`"): out.append(next)
                    default: out.append(contentsOf: [byte, next])
                    }
                } else {
                    out.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "#") && (index == range.lowerBound || Bytes.isSpace(bytes[index - 1])) {
                break
            } else if byte == UInt8(ascii: "\\") && index + 1 < range.upperBound {
                index += 1
                out.append(bytes[index])
            } else {
                out.append(byte)
            }
            index += 1
        }
        guard quote == nil else { throw .parse(path, "line \(line): unterminated quoted value") }
        // Unquoted trailing blanks (before a comment) are not part of the value.
        while let last = out.last, Bytes.isSpace(last), !(bytes[range].contains(UInt8(ascii: "\"")) || bytes[range].contains(UInt8(ascii: "'"))) {
            out.removeLast()
        }
        return String(decoding: out, as: UTF8.self)
    }
}
