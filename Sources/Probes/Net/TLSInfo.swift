import Foundation
import NIOCore
import NIOSSL
import PharosConfig
import PharosCore
import PharosHTTPClient

/// TLS facts blackbox reports after a handshake (`prober/tls.go`).
struct TLSInfo: Sendable {
    var version: String
    var leafNotAfter: Int
    var earliestExpiry: Int
    var lastChainExpiry: Int
    var fingerprint: String
    var subject: String
    var issuer: String
    var dnsNames: String

    /// Go's zero `time.Time` as Unix seconds (no verified chain).
    static let goZeroTime = -62_135_596_800

    /// Reads the handshake's results from the channel's NIOSSLHandler.
    static func read(from channel: any Channel, verified: Bool, trustRoots: [NIOSSLCertificate]) async throws -> TLSInfo {
        let (version, leaf) = try await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
            return (handler.tlsVersion, handler.peerCertificate)
        }.get()
        guard let leaf else { throw ProbeFailure("TLS peer presented no certificate") }
        let der = try leaf.toDERBytes()
        let names = X509Names(der: der)
        let notAfter = Int(leaf.notValidAfter)
        var lastChain = goZeroTime
        if verified {
            lastChain = notAfter
            if let issuerDER = names?.issuerDER {
                for root in trustRoots {
                    if let rootDER = try? root.toDERBytes(), X509Names(der: rootDER)?.subjectDER == issuerDER {
                        lastChain = min(notAfter, Int(root.notValidAfter))
                    }
                }
            }
        }
        var dns: [String] = []
        for name in leaf._subjectAlternativeNames() where name.nameType == .dnsName {
            dns.append(String(decoding: name.contents, as: UTF8.self))
        }
        return TLSInfo(version: Self.versionName(version), leafNotAfter: notAfter, earliestExpiry: notAfter, lastChainExpiry: lastChain,
                       fingerprint: SHA256.hex(SHA256.digest(der)), subject: names?.subject ?? "", issuer: names?.issuer ?? "",
                       dnsNames: dns.joined(separator: ","))
    }

    static func versionName(_ version: TLSVersion?) -> String {
        switch version {
        case .tlsv1: "TLS 1.0"
        case .tlsv11: "TLS 1.1"
        case .tlsv12: "TLS 1.2"
        case .tlsv13: "TLS 1.3"
        default: "unknown"
        }
    }

    /// Declares and sets the families the http and tcp probers register after a handshake.
    func record(in registry: ProbeRegistry) {
        registry.gauge("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime")
        registry.gauge("probe_ssl_last_chain_expiry_timestamp_seconds", "Returns last SSL chain expiry in timestamp")
        registry.gaugeVector("probe_ssl_last_chain_info", "Contains SSL leaf certificate information",
                             labels: ["fingerprint_sha256", "subject", "issuer", "subjectalternative"])
        registry.gaugeVector("probe_tls_version_info", "Returns the TLS version used or NaN when unknown", labels: ["version"])
        registry.set("probe_ssl_earliest_cert_expiry", Double(earliestExpiry))
        registry.set("probe_ssl_last_chain_expiry_timestamp_seconds", Double(lastChainExpiry))
        registry.set("probe_ssl_last_chain_info", 1, labels: [fingerprint, subject, issuer, dnsNames])
        registry.set("probe_tls_version_info", 1, labels: [version])
    }
}

/// A client TLS context from a `tls_config`, and the roots it trusts (for chain expiry).
struct ClientTLS {
    var context: NIOSSLContext
    var verified: Bool
    var trustRoots: [NIOSSLCertificate]
    var serverName: String?

    init(_ config: HTTPClientConfig.TLSConfig, defaultServerName: String) throws {
        let settings = try TLSSettings(config)
        context = try NIOSSLContext(configuration: settings.configuration)
        verified = !config.insecureSkipVerify
        if let file = config.caFile, !file.isEmpty {
            trustRoots = (try? NIOSSLCertificate.fromPEMFile(file)) ?? []
        } else if let ca = config.ca, !ca.isEmpty {
            trustRoots = (try? NIOSSLCertificate.fromPEMBytes(Array(ca.utf8))) ?? []
        } else {
            trustRoots = []
        }
        let name = config.serverName.flatMap { $0.isEmpty ? nil : $0 } ?? defaultServerName
        serverName = Resolver.literal(name) == nil && !name.isEmpty ? name : nil
    }

    func makeHandler() throws -> NIOSSLClientHandler { try NIOSSLClientHandler(context: context, serverHostname: serverName) }
}


/// A failure with a message for the probe log.
struct ProbeFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
