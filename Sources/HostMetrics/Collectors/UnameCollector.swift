import PharosCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// node_exporter's `uname` collector: `node_uname_info` labelled by the uname(2) fields.
struct UnameCollector: NodeCollector {
    let name = "uname"

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        var names = utsname()
        guard uname(&names) == 0 else { throw HostMetricsError.errno(errno, path: "", doing: "uname") }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        metrics.add("node_uname_info", "Labeled system information as provided by the uname system call.", .gauge, 1, [
            .of("domainname", text(names.__domainname)), .of("machine", text(names.machine)),
            .of("nodename", text(names.nodename)), .of("release", text(names.release)),
            .of("sysname", text(names.sysname)), .of("version", text(names.version)),
        ])
    }
}
