import NIOSSL
import PharosConfig

/// The NIOSSL configuration made from a `tls_config`, built once per client (and by the
/// e-mail notifier for STARTTLS).
package struct TLSSettings: Sendable {
    package let configuration: TLSConfiguration

    package init(_ config: HTTPClientConfig.TLSConfig) throws(PharosHTTPClientError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let caFile = config.caFile, !caFile.isEmpty {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } else if let ca = config.ca, !ca.isEmpty {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca.utf8)))
            }
            if let certFile = config.certFile, !certFile.isEmpty {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
            } else if let cert = config.cert, !cert.isEmpty {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(cert.utf8)).map { .certificate($0) }
            }
            if let keyFile = config.keyFile, !keyFile.isEmpty {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } else if let key = config.key, !key.isEmpty {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
            }
        } catch {
            throw PharosHTTPClientError(.config, location: "tls_config", "cannot load certificates or key: \(error)")
        }
        if config.insecureSkipVerify { tls.certificateVerification = .none }
        switch config.minVersion {
        case "TLS10": tls.minimumTLSVersion = .tlsv1
        case "TLS11": tls.minimumTLSVersion = .tlsv11
        case "TLS13": tls.minimumTLSVersion = .tlsv13
        default: tls.minimumTLSVersion = .tlsv12
        }
        switch config.maxVersion {
        case "TLS10": tls.maximumTLSVersion = .tlsv1
        case "TLS11": tls.maximumTLSVersion = .tlsv11
        case "TLS12": tls.maximumTLSVersion = .tlsv12
        default: break
        }
        configuration = tls
    }
}
