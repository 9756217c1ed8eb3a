import Foundation

/// The resolver settings DNS SD uses, as miekg/dns' `ClientConfigFromFile` reads them from
/// `/etc/resolv.conf`: `nameserver` lines (port 53), `search`/`domain`, `options ndots:`,
/// `timeout:` and `attempts:`. Tests build one pointing at a loopback server on any port.
package struct ResolvConf: Sendable, Hashable {
    package struct Server: Sendable, Hashable {
        package var host: String
        package var port: Int

        package init(host: String, port: Int = 53) {
            self.host = host
            self.port = port
        }
    }

    package var servers: [Server]
    package var search: [String] = []
    package var ndots = 1
    /// Per-attempt timeout (resolv.conf `timeout:`, default 5 s).
    package var timeout: Duration = .seconds(5)
    /// Tries per server (resolv.conf `attempts:`, default 2).
    package var attempts = 2

    package init(servers: [Server], search: [String] = [], ndots: Int = 1) {
        self.servers = servers
        self.search = search
        self.ndots = ndots
    }

    package static let defaultPath = "/etc/resolv.conf"

    /// Reads `path`; throws `DiscoveryError` (kind `config`) when it cannot be read.
    package static func load(path: String = defaultPath) throws(DiscoveryError) -> ResolvConf {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiscoveryError(.config, location: path, "could not load resolv.conf")
        }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Parses resolv.conf text; unknown lines are ignored; no server means none (every lookup fails).
    package static func parse(_ text: String) -> ResolvConf {
        var config = ResolvConf(servers: [])
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.prefix { $0 != "#" && $0 != ";" }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first else { continue }
            switch keyword {
            case "nameserver" where fields.count > 1:
                config.servers.append(Server(host: fields[1]))
            case "domain" where fields.count > 1:
                config.search = [fields[1]]
            case "search":
                config.search = Array(fields.dropFirst())
            case "options":
                for option in fields.dropFirst() {
                    let parts = option.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, let value = Int(parts[1]) else { continue }
                    switch parts[0] {
                    case "ndots": config.ndots = min(max(value, 0), 15)
                    case "timeout": config.timeout = .seconds(max(value, 1))
                    case "attempts": config.attempts = max(value, 1)
                    default: break
                    }
                }
            default:
                continue
            }
        }
        return config
    }

    /// miekg/dns' `NameList`: an absolute name as is; otherwise the name first when it has
    /// more than `ndots` dots, then each search domain appended, then the name last if not
    /// tried first. Every result is absolute (trailing dot).
    package func nameList(_ name: String) -> [String] {
        if name.hasSuffix(".") { return [name] }
        let hasNdots = name.split(separator: ".", omittingEmptySubsequences: true).count > ndots
        let absolute = name + "."
        var names: [String] = []
        if hasNdots { names.append(absolute) }
        for domain in search {
            names.append(absolute + (domain.hasSuffix(".") ? domain : domain + "."))
        }
        if !hasNdots { names.append(absolute) }
        return names
    }
}
