import Foundation
import Logging
import PharosConfig

/// What an informer reports to its owner.
enum InformerEvent<Object: KubernetesObject>: Sendable {
    /// The whole collection after a (re)list: replaces everything known in the informer's scope.
    case replace([Object])
    case added(Object)
    case modified(Object)
    case deleted(Object)
}

/// client-go's reflector for one collection: list (paginated), then watch from the list's
/// resourceVersion, following BOOKMARKs. A watch the server ends is resumed from the last
/// version seen; a 410 Gone (answer or ERROR event) relists at once; any other failure — a
/// refused connection, a non-200 answer, a broken event line — is logged, counts
/// `prometheus_sd_kubernetes_failures_total`, and relists after a backoff (1 s doubling to
/// 30 s, reset by a good list). Runs until cancelled.
struct Informer<Object: KubernetesObject>: Sendable {
    let api: KubernetesAPI
    let resource: KubernetesResource
    let selector: KubernetesSDConfig.Selector
    let context: DiscovererContext
    var watchTimeoutSeconds = 300
    var initialBackoff: Duration = .seconds(1)
    var maxBackoff: Duration = .seconds(30)

    private enum WatchEnd { case ended, gone }

    func run(_ sink: @Sendable (InformerEvent<Object>) async -> Void) async {
        var backoff = initialBackoff
        while !Task.isCancelled {
            let listed: (items: [Object], resourceVersion: String)
            do {
                listed = try await api.list(resource, selector: selector, as: Object.self)
            } catch {
                if Task.isCancelled { return }
                fail(error)
                guard await sleep(&backoff) else { return }
                continue
            }
            backoff = initialBackoff
            await sink(.replace(listed.items))
            var version = listed.resourceVersion
            watching: while !Task.isCancelled {
                let started = context.clock.nowNanoseconds
                do {
                    switch try await watchOnce(from: &version, sink) {
                    case .gone:
                        break watching
                    case .ended:
                        // A server that ends watches at once must not make us spin.
                        if context.clock.nowNanoseconds - started < 1_000_000_000 {
                            guard await sleep(&backoff) else { return }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    fail(error)
                    guard await sleep(&backoff) else { return }
                    break watching
                }
            }
        }
    }

    private func watchOnce(from version: inout String, _ sink: @Sendable (InformerEvent<Object>) async -> Void) async throws(DiscoveryError) -> WatchEnd {
        var gone = false
        var current = version
        let location = "kubernetes \(resource.description)"
        var lineNumber = 0
        do {
            try await api.watch(resource, selector: selector, resourceVersion: version, timeoutSeconds: watchTimeoutSeconds) { line throws(DiscoveryError) in
                lineNumber += 1
                guard !gone else { return }
                let decoder = JSONDecoder()
                let data = Data(line)
                let type: String
                do {
                    type = try decoder.decode(WatchEventType.self, from: data).type
                } catch {
                    throw DiscoveryError(.parse, location: location, "watch: cannot parse event line \(lineNumber): \(error)")
                }
                do {
                    switch type {
                    case "ADDED", "MODIFIED", "DELETED":
                        let object = try decoder.decode(WatchEvent<Object>.self, from: data).object
                        if let next = object.metadata.resourceVersion, !next.isEmpty { current = next }
                        await sink(type == "ADDED" ? .added(object) : type == "MODIFIED" ? .modified(object) : .deleted(object))
                    case "BOOKMARK":
                        let object = try decoder.decode(WatchEvent<BookmarkObject>.self, from: data).object
                        if let next = object.metadata?.resourceVersion, !next.isEmpty { current = next }
                    case "ERROR":
                        let status = try decoder.decode(WatchEvent<KubernetesStatus>.self, from: data).object
                        if status.code == 410 { gone = true; return }
                        throw DiscoveryError(.httpStatus, location: location,
                                             "watch: error event \(status.code ?? 0): \(status.message ?? status.reason ?? "")")
                    default:
                        throw DiscoveryError(.parse, location: location, "watch: unknown event type \"\(type)\" on line \(lineNumber)")
                    }
                } catch let error as DiscoveryError {
                    throw error
                } catch {
                    throw DiscoveryError(.parse, location: location, "watch: cannot parse \(type) event on line \(lineNumber): \(error)")
                }
            }
        } catch where error.kind == .gone {
            version = current
            return .gone
        }
        version = current
        return gone ? .gone : .ended
    }

    private func fail(_ error: DiscoveryError) {
        context.metrics.kubernetesFailure()
        context.logger.error("Kubernetes list or watch failed", metadata: [
            "discovery.config": "\(context.setName)", "kubernetes.resource": "\(resource.description)", "error": "\(error)",
        ])
    }

    /// Sleeps `backoff` and doubles it (up to the maximum); false when cancelled.
    private func sleep(_ backoff: inout Duration) async -> Bool {
        do { try await context.clock.sleep(for: backoff) } catch { return false }
        backoff = min(backoff * 2, maxBackoff)
        return true
    }
}
