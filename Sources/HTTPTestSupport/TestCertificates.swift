import Foundation
import NIOSSL
import PharosTestSupport

/// A throw-away CA and a server certificate for 127.0.0.1/localhost signed by it, made with
/// `openssl` in `folder` (test-only).
package struct TestCertificates: Sendable {
    package let caFile: String
    package let certFile: String
    package let keyFile: String

    package init(folder: String) throws {
        caFile = folder + "/ca.crt"
        certFile = folder + "/server.crt"
        keyFile = folder + "/server.key"
        let caKey = folder + "/ca.key", request = folder + "/server.csr", extensions = folder + "/server.ext"
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        let openssl = "/usr/bin/openssl"
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caFile, "-days", "2",
             "-subj", "/CN=pharos-test-ca"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", request, "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", request, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out", certFile,
             "-days", "2", "-extfile", extensions],
        ]
        for step in steps {
            let result = try Peers.run(openssl, step)
            guard result.status == 0 else { throw PeerError("openssl \(step.joined(separator: " ")) failed: \(result.output)") }
        }
    }

    /// The server side: the certificate and its key.
    package func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
    }
}
