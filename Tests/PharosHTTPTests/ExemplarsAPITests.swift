import Foundation
import NIOCore
import PharosCore
import Synchronization
import Testing
@testable import PharosHTTP

/// A fixed exemplar store that records what it was asked.
final class FixedExemplars: ExemplarQueryable, Sendable {
    let results: [ExemplarQueryResult]
    let asked = Mutex<[(Timestamp, Timestamp, [[LabelMatcher]])]>([])

    init(_ results: [ExemplarQueryResult]) { self.results = results }

    func exemplars(from start: Timestamp, through end: Timestamp,
                   matching selectors: [[LabelMatcher]]) async throws -> [ExemplarQueryResult] {
        asked.withLock { $0.append((start, end, selectors)) }
        return results
    }
}


/// `/api/v1/query_exemplars` without HTTP: parameters, selector extraction, body shape, errors.
@Suite(.timeLimit(.minutes(2)))
struct ExemplarsAPITests {
    /// `a or b` → two selectors; a query without `{` or a name (`1`) → none; `bad…` → parse error.
    static let extract: SelectorExtractor = { text in
        struct Bad: Error, CustomStringConvertible { var description: String }
        if text.hasPrefix("bad") { throw Bad(description: "1:4: parse error: unexpected end of input") }
        if text.isEmpty { throw Bad(description: "1:1: parse error: no expression found in input") }
        if text.allSatisfy(\.isNumber) { return [] }
        return try text.components(separatedBy: " or ").map { try testSelectorParser($0) }
    }

    static let store = FixedExemplars([
        ExemplarQueryResult(seriesLabels: Labels(["__name__": "req_total", "job": "a"]), exemplars: [
            Exemplar(labels: Labels(["trace_id": "abc", "span_id": "1"]), value: 0.25, timestamp: 1_700_000_000_123),
            Exemplar(labels: .empty, value: .nan, timestamp: 1_700_000_001_000, hasTimestamp: false),
        ]),
        ExemplarQueryResult(seriesLabels: Labels(["__name__": "req_total", "job": "b"]), exemplars: [
            Exemplar(labels: Labels(["trace_id": "\"q\""]), value: -1e-7, timestamp: -1500),
        ]),
    ])

    func api(_ store: FixedExemplars = Self.store) -> PrometheusAPI {
        PrometheusAPI(exemplarStorage: store, extractSelectors: Self.extract)
    }

    func body(_ query: String, _ store: FixedExemplars = Self.store) async throws -> String? {
        try await api(store).queryExemplars(try FormParameters(encoded: query)).map { String(buffer: $0) }
    }

    func error(_ query: String) async -> APIError? {
        do { _ = try await api().queryExemplars(try! FormParameters(encoded: query)) } catch { return error }
        return nil
    }

    @Test func answersInPrometheusShape() async throws {
        let text = try await body("query=req_total&start=1700000000&end=1700000002.5")
        #expect(text == """
            {"status":"success","data":[{"seriesLabels":{"__name__":"req_total","job":"a"},"exemplars":[\
            {"labels":{"span_id":"1","trace_id":"abc"},"value":"0.25","timestamp":1700000000.123},\
            {"labels":{},"value":"NaN","timestamp":1700000001}]},\
            {"seriesLabels":{"__name__":"req_total","job":"b"},"exemplars":[\
            {"labels":{"trace_id":"\\"q\\""},"value":"-1e-07","timestamp":-1.500}]}]}
            """)
        let asked = Self.store.asked.withLock { $0.last }
        #expect(asked?.0 == 1_700_000_000_000 && asked?.1 == 1_700_000_002_500)
        #expect(asked?.2 == [[.equal("__name__", "req_total")]])
    }

    @Test func everySelectorOfTheQueryIsPassedAndTimesDefaultToAllTime() async throws {
        let store = FixedExemplars([])
        #expect(try await body("query=a%7Bjob%3D%22x%22%7D+or+b", store) == #"{"status":"success","data":[]}"#)
        let asked = store.asked.withLock { $0.last }
        #expect(asked?.0 == .min && asked?.1 == .max)
        #expect(asked?.2 == [[.equal("__name__", "a"), .equal("job", "x")], [.equal("__name__", "b")]])
    }

    @Test func aQueryWithoutSelectorsAnswersNoContent() async throws {
        let store = FixedExemplars([])
        #expect(try await body("query=1", store) == nil)
        #expect(store.asked.withLock { $0.isEmpty })
    }

    @Test(arguments: [
        ("query=bad", "1:4: parse error: unexpected end of input"),
        ("", "1:1: parse error: no expression found in input"),
        ("query=up&start=x", #"invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp"#),
        ("query=up&end=tomorrow", #"invalid parameter "end": Invalid time value for 'end': cannot parse "tomorrow" to a valid timestamp"#),
        ("query=up&start=10&end=5", "end timestamp must not be before start timestamp"),
    ])
    func badRequestsAreBadData(query: String, message: String) async {
        let error = await error(query)
        #expect(error?.kind == .badData)
        #expect(error?.message == message)
    }

    @Test func withoutExemplarStorageItIsUnavailable() async {
        do {
            _ = try await PrometheusAPI().queryExemplars(try FormParameters(encoded: "query=up"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unavailable)
        }
    }
}
