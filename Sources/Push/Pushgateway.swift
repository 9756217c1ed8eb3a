import Logging
import PharosCore

/// The Pushgateway behind `/metrics/job/…`: parses grouping keys and bodies, applies them to
/// the `GroupStore`, and hands each change to the `PushIngester` (when storage is wired).
///
/// Thread-safe. Storage failures while ingesting are logged, not returned: the push is stored
/// and the ingester's next refresh writes it.
package struct Pushgateway: Sendable {
    package let store: GroupStore
    package let ingester: PushIngester?
    package let now: @Sendable () -> Timestamp
    private let logger: Logger

    package init(store: GroupStore, ingester: PushIngester?, logger: Logger, now: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.ingester = ingester
        self.logger = logger
        self.now = now
    }

    /// PUT (`replace`) or POST of `body` to the group named by `path`. Returns the group.
    @discardableResult
    package func push(path: String, body: [UInt8], contentType: String?, replace: Bool) async throws(PushError) -> MetricGroup {
        let key = try GroupingKey(path: path)
        let parsed = try PushBody.parse(body, contentType: contentType)
        let time = now()
        let group: MetricGroup
        do throws(PushError) {
            group = try store.push(key, body: parsed, replace: replace, at: time)
        } catch {
            await ingest(key, at: time)
            throw error
        }
        await ingest(key, at: time)
        return group
    }

    /// DELETE of the group named by `path`; deleting a missing group is a no-op.
    package func delete(path: String) async throws(PushError) {
        let key = try GroupingKey(path: path)
        try store.delete(key)
        await ingest(key, at: now())
    }

    private func ingest(_ key: GroupingKey, at time: Timestamp) async {
        guard let ingester else { return }
        do { try await ingester.ingest(key, at: time) } catch {
            logger.warning("Cannot append pushed metrics", metadata: ["push.group": "\(key)", "push.error": "\(error)"])
        }
    }
}
