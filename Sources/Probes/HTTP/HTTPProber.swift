import PharosCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import PharosConfig

/// blackbox's http prober (`prober/http.go`) over NIO, so each round trip's phases are timed.
/// HTTP/1.1 only; keep-alive off (one connection per round trip), as blackbox's client.
struct HTTPProber: Prober {
    static let userAgent = "Blackbox Exporter/0.23.0"

    /// Timestamps of one round trip (blackbox's `roundTripTrace`).
    struct Trace {
        var tls = false
        var start: ContinuousClock.Instant
        var dnsDone: ContinuousClock.Instant
        var connectDone: ContinuousClock.Instant?
        var gotConn: ContinuousClock.Instant?
        var responseStart: ContinuousClock.Instant?
        var tlsStart: ContinuousClock.Instant?
        var tlsDone: ContinuousClock.Instant?
        var end: ContinuousClock.Instant?
    }

    func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool {
        let registry = context.registry
        let log = context.log
        registry.gaugeVector("probe_http_duration_seconds", "Duration of http request by phase, summed over all redirects", labels: ["phase"])
        registry.gauge("probe_http_content_length", "Length of http content response")
        registry.gauge("probe_http_uncompressed_body_length", "Length of uncompressed response body")
        registry.gauge("probe_http_redirects", "The number of redirects")
        registry.gauge("probe_http_ssl", "Indicates if SSL was used for the final redirect")
        registry.gauge("probe_http_status_code", "Response HTTP status code")
        registry.gauge("probe_http_version", "Returns the version of HTTP of the probe response")
        registry.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex")
        let config = module.http
        var target = target
        if !target.hasPrefix("http://") && !target.hasPrefix("https://") { target = "http://" + target }
        guard var url = URLComponents(string: target), let host = url.host, !host.isEmpty || url.percentEncodedHost != nil else {
            log.error("Could not parse target URL", ["err": "parse \(goQuote(target)): invalid URL"])
            return false
        }
        let targetHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        var ip: ResolvedIP?
        if !config.skipResolvePhaseWithProxy || config.client.proxyURL == nil {
            do {
                let (resolved, lookup) = try await Resolver.choose(targetHost, ipProtocol: config.ipProtocol, fallback: config.ipProtocolFallback, context: context)
                registry.add("probe_http_duration_seconds", lookup, labels: ["resolve"])
                ip = resolved
            } catch {
                registry.add("probe_http_duration_seconds", 0, labels: ["resolve"])
                log.error("Error resolving address", ["err": "\(error)"])
                return false
            }
        }
        for phase in ["connect", "tls", "processing", "transfer"] { registry.add("probe_http_duration_seconds", 0, labels: [phase]) }

        var headers = config.headers
        var serverName = config.client.tlsConfig.serverName ?? ""
        if serverName.isEmpty {
            serverName = targetHost
            for (name, value) in headers where canonicalHeaderKey(name) == "Host" { serverName = value }
        }
        let originalHost = url.port.map { "\(host):\($0)" } ?? host
        var hostHeader = originalHost
        if let index = headers.firstIndex(where: { canonicalHeaderKey($0.0) == "Host" }) {
            hostHeader = headers[index].1
            headers.remove(at: index)
        }
        if let ip { url.host = ip.isIPv4 ? ip.description : "[\(ip.description)]" }

        var method = config.method.isEmpty ? "GET" : config.method
        var body = config.body
        var traces: [Trace] = []
        var redirects = 0
        var firstHost = url.host ?? ""
        var response: CollectedResponse?
        var requestErrored = false
        var currentURL = url
        var tlsInfo: TLSInfo?
        var success = false
        roundTrips: while true {
            let scheme = currentURL.scheme ?? "http"
            let requestHost = currentURL.host ?? ""
            log.info("Making HTTP request", ["url": currentURL.string ?? "", "host": hostHeader])
            if firstHost.isEmpty { firstHost = requestHost }
            let sendServerName = requestHost == firstHost ? serverName : ""
            var trace = Trace(tls: scheme == "https", start: .now, dnsDone: .now)
            do {
                let result = try await roundTrip(url: currentURL, method: method, body: body, hostHeader: hostHeader, headers: headers,
                                                 config: config, serverName: sendServerName, trace: &trace, context: context)
                traces.append(trace)
                response = result.response
                tlsInfo = result.tls
            } catch {
                traces.append(trace)
                log.error("Error for HTTP request", ["err": "\(error)"])
                response = nil
                break roundTrips
            }
            guard let current = response else { break }
            let status = Int(current.head.status.code)
            let location = current.head.headers.first(name: "Location")
            if [301, 302, 303, 307, 308].contains(status), let location {
                log.info("Received redirect", ["location": location])
                redirects = traces.count
                if redirects > 10 || !config.client.followRedirects {
                    log.info("Not following redirect")
                    requestErrored = true
                    break
                }
                guard let base = currentURL.url, let next = URL(string: location, relativeTo: base),
                      var nextComponents = URLComponents(url: next.absoluteURL, resolvingAgainstBaseURL: true) else {
                    requestErrored = true
                    break
                }
                if status != 307 && status != 308 {
                    if method != "GET" && method != "HEAD" { method = "GET" }
                    body = ""
                }
                if nextComponents.host != currentURL.host || nextComponents.port != currentURL.port {
                    hostHeader = nextComponents.port.map { "\(nextComponents.host ?? ""):\($0)" } ?? (nextComponents.host ?? "")
                }
                if nextComponents.path.isEmpty { nextComponents.path = "/" }
                currentURL = nextComponents
                continue
            }
            break
        }

        var bodyBytes = 0
        if let response {
            let status = Int(response.head.status.code)
            log.info("Received HTTP response", ["status_code": "\(status)"])
            if !config.validStatusCodes.isEmpty {
                success = config.validStatusCodes.contains(status)
                if !success {
                    log.info("Invalid HTTP response status code", ["status_code": "\(status)",
                                                                   "valid_status_codes": "[" + config.validStatusCodes.map(String.init).joined(separator: " ") + "]"])
                }
            } else if (200..<300).contains(status) {
                success = true
            } else {
                log.info("Invalid HTTP response status code, wanted 2xx", ["status_code": "\(status)"])
            }
            if success && (!config.failIfHeaderMatches.isEmpty || !config.failIfHeaderNotMatches.isEmpty) {
                success = Self.matchHeaders(response.head.headers, config, log)
                registry.set("probe_failed_due_to_regex", success ? 0 : 1)
            }
            if let error = response.bodyError {
                log.info("Failed to read HTTP response body", ["err": error])
                success = false
            }
            let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
            if success && (!config.failIfBodyMatchesRegexp.isEmpty || !config.failIfBodyNotMatchesRegexp.isEmpty) {
                success = Self.matchBody(text, config, log)
                registry.set("probe_failed_due_to_regex", success ? 0 : 1)
            }
            if !requestErrored { bodyBytes = response.body.readableBytes }
            if let lastModified = response.head.headers.first(name: "Last-Modified"), let date = Self.parseHTTPDate(lastModified) {
                registry.gauge("probe_http_last_modified_timestamp_seconds", "Returns the Last-Modified HTTP response header in unixtime")
                registry.set("probe_http_last_modified_timestamp_seconds", date.timeIntervalSince1970.rounded(.down))
            }
            let version = response.head.version
            let protoText = "HTTP/\(version.major).\(version.minor)"
            registry.set("probe_http_version", Double("\(version.major).\(version.minor)") ?? 0)
            if !config.validHTTPVersions.isEmpty && !config.validHTTPVersions.contains(protoText) {
                log.error("Invalid HTTP version number", ["version": protoText])
                success = false
            }
            registry.set("probe_http_status_code", Double(status))
            let length = response.head.headers.first(name: "Content-Length").flatMap { Int64($0) } ?? -1
            registry.set("probe_http_content_length", Double(length))
        } else {
            registry.set("probe_http_content_length", 0)
        }

        for (index, trace) in traces.enumerated() {
            if index != 0 { registry.add("probe_http_duration_seconds", seconds(trace.dnsDone - trace.start), labels: ["resolve"]) }
            guard let gotConn = trace.gotConn else { continue }
            if trace.tls {
                if let connectDone = trace.connectDone { registry.add("probe_http_duration_seconds", seconds(connectDone - trace.dnsDone), labels: ["connect"]) }
                if let tlsStart = trace.tlsStart, let tlsDone = trace.tlsDone {
                    registry.add("probe_http_duration_seconds", seconds(tlsDone - tlsStart), labels: ["tls"])
                }
            } else {
                registry.add("probe_http_duration_seconds", seconds(gotConn - trace.dnsDone), labels: ["connect"])
            }
            guard let responseStart = trace.responseStart else { continue }
            registry.add("probe_http_duration_seconds", seconds(responseStart - gotConn), labels: ["processing"])
            guard let end = trace.end else { continue }
            registry.add("probe_http_duration_seconds", seconds(end - responseStart), labels: ["transfer"])
        }

        if response != nil, let tlsInfo {
            registry.set("probe_http_ssl", 1)
            tlsInfo.record(in: registry)
            if config.failIfSSL {
                log.error("Final request was over SSL")
                success = false
            }
        } else if config.failIfNotSSL {
            log.error("Final request was not over SSL")
            success = false
        }
        registry.set("probe_http_uncompressed_body_length", Double(bodyBytes))
        registry.set("probe_http_redirects", Double(redirects))
        return success
    }

    static func matchBody(_ body: String, _ config: HTTPProbeConfig, _ log: ProbeLog) -> Bool {
        for expression in config.failIfBodyMatchesRegexp where expression.regex.matches(in: body) {
            log.error("Body matched regular expression", ["regexp": expression.description])
            return false
        }
        for expression in config.failIfBodyNotMatchesRegexp where !expression.regex.matches(in: body) {
            log.error("Body did not match regular expression", ["regexp": expression.description])
            return false
        }
        return true
    }

    static func matchHeaders(_ headers: HTTPHeaders, _ config: HTTPProbeConfig, _ log: ProbeLog) -> Bool {
        for spec in config.failIfHeaderMatches {
            let values = headers[canonicalName: spec.header]
            if values.isEmpty {
                if !spec.allowMissing { log.error("Missing required header", ["header": spec.header]); return false }
                continue
            }
            if values.contains(where: { spec.regexp.regex.matches(in: $0) }) {
                log.error("Header matched regular expression", ["header": spec.header, "regexp": spec.regexp.description, "value_count": "\(values.count)"])
                return false
            }
        }
        for spec in config.failIfHeaderNotMatches {
            let values = headers[canonicalName: spec.header]
            if values.isEmpty {
                if !spec.allowMissing { log.error("Missing required header", ["header": spec.header]); return false }
                continue
            }
            if !values.contains(where: { spec.regexp.regex.matches(in: $0) }) {
                log.error("Header did not match regular expression", ["header": spec.header, "regexp": spec.regexp.description, "value_count": "\(values.count)"])
                return false
            }
        }
        return true
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

extension HTTPHeaders {
    /// Values of a header by Go's canonical name (HTTP/1 names are case-insensitive anyway).
    subscript(canonicalName name: String) -> [String] { self[name] }
}
