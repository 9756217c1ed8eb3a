import Discovery
import PharosConfig
import PharosCore
import PharosTestSupport
import Scrape
import Synchronization

/// A fetcher that serves scripted responses in order (the last one repeats), counting fetches.
final class FixtureFetcher: TargetFetcher, Sendable {
    enum Response: Sendable {
        case body(String, contentType: String? = "text/plain; version=0.0.4")
        case failure(ScrapeError)
    }

    private let state: Mutex<(responses: [Response], fetches: Int, requests: [FetchRequest])>
    /// Advanced by this much on each fetch, so scrape durations are exact.
    private let clock: ManualClock?
    private let fetchDuration: Int64

    init(_ responses: [Response], clock: ManualClock? = nil, fetchDurationNanoseconds: Int64 = 0) {
        state = Mutex((responses, 0, []))
        self.clock = clock
        fetchDuration = fetchDurationNanoseconds
    }

    var fetches: Int { state.withLock { $0.fetches } }
    var requests: [FetchRequest] { state.withLock { $0.requests } }

    func setResponses(_ responses: [Response]) { state.withLock { $0.responses = responses } }

    func fetch(_ target: ScrapeTarget, _ request: FetchRequest) async throws(ScrapeError) -> FetchResult {
        let response = state.withLock { state -> Response in
            state.fetches += 1
            state.requests.append(request)
            return state.responses.count > 1 ? state.responses.removeFirst() : state.responses[0]
        }
        if fetchDuration > 0 { clock?.advance(byNanoseconds: fetchDuration) }
        switch response {
        case .body(let text, let contentType): return FetchResult(contentType: contentType, body: Array(text.utf8))
        case .failure(let error): throw error
        }
    }
}

/// The shared manual clock drives scrape loops.
extension ManualClock: ScrapeClock {}

/// A discoverer the test feeds batch by batch.
final class FedDiscoverer: Discoverer {
    private let stream: AsyncStream<[TargetGroup]>
    private let continuation: AsyncStream<[TargetGroup]>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream() }

    func emit(_ groups: [TargetGroup]) { continuation.yield(groups) }

    func run(_ updates: DiscoveryUpdates) async {
        for await batch in stream { await updates.send(batch) }
    }
}
