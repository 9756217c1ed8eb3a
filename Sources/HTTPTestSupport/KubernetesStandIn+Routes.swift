import Foundation
import Hummingbird
import NIOCore
import Synchronization

extension KubernetesStandIn {
    /// A router answering the Kubernetes API paths the discovery uses.
    package func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("**") { request, _ -> Response in self.answer(request) }
        return router
    }

    /// Runs the stand-in on a free port and hands its base URL (`http://127.0.0.1:<port>`, or
    /// `https://…` with `certificates`) to `body`; open watches are ended before it stops.
    package func run<R: Sendable>(certificates: TestCertificates? = nil, _ body: (String) async throws -> R) async throws -> R {
        try await withTestHTTPServer(router(), tls: try certificates?.serverConfiguration()) { port in
            defer { endWatches() }
            return try await body("\(certificates == nil ? "http" : "https")://127.0.0.1:\(port)")
        }
    }

    private func answer(_ request: Hummingbird.Request) -> Response {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let record = Request(path: request.uri.path, query: query, authorization: request.headers[.authorization])
        state.withLock { $0.requests.append(record) }
        if let required = requiredAuthorization, record.authorization != required {
            return Self.status(401, "Unauthorized")
        }
        guard let (kind, namespace) = Self.collection(record.path) else { return Self.status(404, "NotFound") }
        return record.isWatch ? watch(kind, namespace, query) : list(kind, namespace, query)
    }

    /// `/api/v1/pods`, `/api/v1/namespaces/<ns>/pods`, `/apis/<group>/v1/…`, `/api/v1/namespaces`.
    static func collection(_ path: String) -> (kind: String, namespace: String?)? {
        var parts = path.split(separator: "/").map(String.init)
        if parts.first == "api", parts.count >= 3 {
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 4 {
            parts.removeFirst(3)
        } else {
            return nil
        }
        if parts.count == 1 { return (parts[0], nil) }
        if parts.count == 3, parts[0] == "namespaces" { return (parts[2], parts[1]) }
        return nil
    }

    private func list(_ kind: String, _ namespace: String?, _ query: [String: String]) -> Response {
        let selector = query["labelSelector"] ?? ""
        let (items, version, pageSize) = state.withLock { state in
            let matching = (state.objects[kind] ?? [:]).sorted { $0.key < $1.key }
                .filter { namespace == nil || $0.value.namespace == namespace }
                .map(\.value.json)
                .filter { Self.matches($0, selector) }
            return (matching, state.version, state.pageSize)
        }
        let start = Int(query["continue"] ?? "") ?? 0
        let end = pageSize > 0 ? min(items.count, start + pageSize) : items.count
        let page = start < end ? Array(items[start..<end]) : []
        let next = end < items.count ? ",\"continue\":\"\(end)\"" : ""
        let body = "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"\(version)\"\(next)},\"items\":["
            + page.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private func watch(_ kind: String, _ namespace: String?, _ query: [String: String]) -> Response {
        let from = Int(query["resourceVersion"] ?? "") ?? 0
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let outcome = state.withLock { state -> WatchFault? in
            if !state.faults.isEmpty {
                let fault = state.faults.removeFirst()
                if fault == .goneStatus || fault == .serverError { return fault }
                if fault == .goneEvent {
                    continuation.yield(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}}"#)
                    continuation.finish()
                    return nil
                }
                continuation.yield("{this is not json")
            }
            if from < state.compactedVersion {
                continuation.yield(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}}"#)
                continuation.finish()
                return nil
            }
            for event in state.events where event.version > from && event.kind == kind && (namespace == nil || event.namespace == namespace) {
                continuation.yield(event.line)
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = Watcher(kind: kind, namespace: namespace, continuation: continuation)
            continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) } }
            return nil
        }
        switch outcome {
        case .goneStatus?: return Self.status(410, "Expired")
        case .serverError?: return Self.status(500, "InternalError")
        default: break
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
            for await line in stream { try await writer.write(ByteBuffer(string: line + "\n")) }
            try await writer.finish(nil)
        })
    }

    private static func status(_ code: Int, _ reason: String) -> Response {
        let body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"\(reason)\",\"code\":\(code),\"message\":\"stand-in \(reason)\"}"
        return Response(status: .init(code: code), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Equality (`a=b`, `a==b`) and inequality (`a!=b`) requirements on the object's labels.
    static func matches(_ json: Data, _ selector: String) -> Bool {
        guard !selector.isEmpty else { return true }
        let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any]
        let labels = (object?["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
        for requirement in selector.split(separator: ",") {
            if let range = requirement.range(of: "!=") {
                if labels[String(requirement[..<range.lowerBound])] == String(requirement[range.upperBound...]) { return false }
            } else if let range = requirement.range(of: "=") {
                let value = requirement[range.upperBound...].drop { $0 == "=" }
                if labels[String(requirement[..<range.lowerBound])] != String(value) { return false }
            }
        }
        return true
    }
}
