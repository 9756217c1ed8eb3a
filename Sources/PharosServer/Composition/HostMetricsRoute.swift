import HostMetrics
import Hummingbird
import NIOCore
import NIOPosix

extension PharosServer {
    /// `GET /metrics/node`: the built-in node exporter's scrape in text format 0.0.4, as
    /// node_exporter answers `/metrics`. The collection blocks on /proc, /sys and statfs, so it
    /// runs on NIO's blocking thread pool, never on the cooperative pool.
    static func addHostMetricsRoute<Context: RequestContext>(_ exporter: NodeExporter, to router: Router<Context>) {
        router.get("/metrics/node") { _, _ -> Response in
            let body = try await NIOThreadPool.singleton.runIfActive { exporter.scrape() }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
