import Foundation
import Synchronization

/// A stand-in Kubernetes API server for discovery tests: it keeps objects per collection
/// (`pods`, `nodes`, `services`, `endpoints`, `endpointslices`, `ingresses`, `namespaces`),
/// answers lists (`?labelSelector=` equality filtering, `limit`/`continue` paging) and streams
/// watches (newline-delimited JSON events from a `resourceVersion`, replaying what happened
/// since), and records every request. Tests change objects with `put`/`delete` and inject
/// faults. Thread-safe. The HTTP side is `KubernetesStandIn+Routes.swift`.
package final class KubernetesStandIn: Sendable {
    /// One request as received.
    package struct Request: Sendable, Hashable {
        package var path: String
        package var query: [String: String]
        package var authorization: String?
        package var isWatch: Bool { query["watch"] == "true" }
    }

    /// What the next watch request gets instead of a normal stream.
    package enum WatchFault: Sendable {
        /// HTTP 410 Gone with a Status body.
        case goneStatus
        /// HTTP 200 with one `ERROR` event (code 410), then the end of the stream.
        case goneEvent
        /// HTTP 200 with a line that is not JSON, then the stream stays open.
        case brokenLine
        /// HTTP 500.
        case serverError
    }

    struct Event {
        var version: Int
        var kind: String
        var namespace: String?
        var line: String
    }

    struct Watcher {
        var kind: String
        var namespace: String?
        var continuation: AsyncStream<String>.Continuation
    }

    struct State {
        var version = 100
        /// kind → key (`ns/name` or `name`) → (namespace, serialized object).
        var objects: [String: [String: (namespace: String?, json: Data)]] = [:]
        var events: [Event] = []
        /// Watches from before this version are answered with an ERROR 410 event.
        var compactedVersion = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcher = 0
        var requests: [Request] = []
        var faults: [WatchFault] = []
        var pageSize = 0
    }

    let state = Mutex(State())
    /// When set, requests with another `Authorization` header get 401.
    package let requiredAuthorization: String?

    package init(requiredAuthorization: String? = nil) { self.requiredAuthorization = requiredAuthorization }

    /// Every request so far, in order.
    package var requests: [Request] { state.withLock { $0.requests } }

    /// Open watch streams.
    package var openWatches: Int { state.withLock { $0.watchers.count } }

    /// Lists answer at most `size` items per page (0: all).
    package func setPageSize(_ size: Int) { state.withLock { $0.pageSize = size } }

    /// The next watch request gets `fault`.
    package func failNextWatch(_ fault: WatchFault) { state.withLock { $0.faults.append(fault) } }

    /// Forgets history: watches from any version seen so far get `ERROR` 410 (too old).
    package func compact() { state.withLock { $0.compactedVersion = $0.version + 1 } }

    /// Ends every open watch stream normally (as the server's `timeoutSeconds` would).
    package func endWatches() {
        let watchers = state.withLock { state -> [Watcher] in
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.continuation.finish() }
    }

    /// Adds or replaces an object of `kind` (its JSON text; namespace and name from its
    /// metadata) and sends ADDED or MODIFIED to matching watches.
    package func put(_ kind: String, _ json: String) {
        change(kind, json: json, deleting: false)
    }

    /// Deletes an object and sends DELETED.
    package func delete(_ kind: String, namespace: String? = nil, name: String) {
        var metadata = "{\"name\":\"\(name)\""
        if let namespace { metadata += ",\"namespace\":\"\(namespace)\"" }
        change(kind, json: "{\"metadata\":\(metadata)}}", deleting: true)
    }

    private func change(_ kind: String, json: String, deleting: Bool) {
        let sends = state.withLock { state -> [(AsyncStream<String>.Continuation, String)] in
            guard var object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any],
                  var metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String
            else { preconditionFailure("stand-in objects need metadata.name: \(json)") }
            let namespace = metadata["namespace"] as? String
            let key = namespace.map { "\($0)/\(name)" } ?? name
            let existing = state.objects[kind]?[key]
            if deleting, existing == nil { return [] }
            state.version += 1
            let type: String
            if deleting {
                object = ((try? JSONSerialization.jsonObject(with: existing!.json)) as? [String: Any]) ?? object
                metadata = object["metadata"] as? [String: Any] ?? metadata
                state.objects[kind]?[key] = nil
                type = "DELETED"
            } else {
                type = existing == nil ? "ADDED" : "MODIFIED"
            }
            metadata["resourceVersion"] = String(state.version)
            object["metadata"] = metadata
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            if !deleting { state.objects[kind, default: [:]][key] = (namespace, data) }
            let line = "{\"type\":\"\(type)\",\"object\":\(String(decoding: data, as: UTF8.self))}"
            state.events.append(Event(version: state.version, kind: kind, namespace: namespace, line: line))
            return state.watchers.values.filter { $0.kind == kind && ($0.namespace == nil || $0.namespace == namespace) }
                .map { ($0.continuation, line) }
        }
        for (continuation, line) in sends { continuation.yield(line) }
    }
}
