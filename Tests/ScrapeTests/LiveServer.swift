import Foundation
import PharosTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP server in Python on 127.0.0.1 with a free port, for live scrape tests.
///
/// Routes: `/metrics` (text body from `metrics.txt` in its folder, gzip when asked),
/// `/om` (OpenMetrics body), `/auth` (echoes the Authorization header as a metric label),
/// `/slow` (answers after 3 s), `/trickle` (headers at once, then a line every 0.25 s for 20 s),
/// `/missing` (404), `/headers` (echoes scrape headers as labels).
final class LiveServer {
    let process = Process()
    let port: Int
    let directory: String

    static let script = #"""
import gzip, http.server, os, sys, time
root = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def send(self, body, ctype="text/plain; version=0.0.4; charset=utf-8", status=200):
        enc = None
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body); enc = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if enc: self.send_header("Content-Encoding", enc)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        p = self.path.split("?")[0]
        if p == "/metrics":
            self.send(open(os.path.join(root, "metrics.txt"), "rb").read())
        elif p == "/om":
            self.send(b"# TYPE c counter\nc_total 7 1700000000.5\n# EOF\n", "application/openmetrics-text; version=1.0.0; charset=utf-8")
        elif p == "/auth":
            a = self.headers.get("Authorization", "").replace("\\", "\\\\").replace('"', '\\"')
            self.send(('auth{value="%s"} 1\n' % a).encode())
        elif p == "/headers":
            h = self.headers
            self.send(('h{accept="%s",encoding="%s",timeout="%s",query="%s"} 1\n' % (h.get("Accept"), h.get("Accept-Encoding"), h.get("X-Prometheus-Scrape-Timeout-Seconds"), self.path.partition("?")[2])).encode())
        elif p == "/slow":
            time.sleep(3); self.send(b"slow 1\n")
        elif p == "/trickle":
            lines = [b"trickle_%d 1\n" % i for i in range(80)]
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(sum(len(l) for l in lines)))
            self.end_headers()
            try:
                for l in lines:
                    self.wfile.write(l); self.wfile.flush(); time.sleep(0.25)
            except OSError:
                pass
        else:
            self.send(b"not found\n", "text/plain", 404)
s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), H)
s.serve_forever()
"""#

    init(directory: String) async throws {
        self.directory = directory
        let scriptPath = directory + "/server.py"
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        port = try Peers.freePort()
        process.executableURL = URL(fileURLWithPath: try Peers.python3())
        process.arguments = [scriptPath, directory, String(port)]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if Self.accepts(port) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        stop()
        throw LiveServerError(message: "python3 server did not start on port \(port)")
    }

    /// SIGKILL: the child inherits the test process' blocked signal mask, so SIGTERM may be ignored.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    struct LiveServerError: Error { var message: String }
}
