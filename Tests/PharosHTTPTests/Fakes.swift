import Foundation
import PharosCore
import PromQL
import Synchronization
@testable import PharosHTTP

/// An engine that records its calls and answers with a programmed result or error.
final class RecordingEngine: PromQLQuerying {
    enum Call: Equatable {
        case instant(String, Timestamp)
        case range(String, Timestamp, Timestamp, Int64)
    }
    private let calls = Mutex<[Call]>([])
    let answer: @Sendable () async throws -> QueryResult

    init(answer: @escaping @Sendable () async throws -> QueryResult) { self.answer = answer }

    private func answering() async throws(QueryError) -> QueryResult {
        do { return try await answer() } catch let error as QueryError { throw error } catch {
            throw QueryError(.internal, String(describing: error))
        }
    }

    var recorded: [Call] { calls.withLock { $0 } }

    func instantQuery(_ query: String, at time: Timestamp, on storage: any Queryable) async throws(QueryError) -> QueryResult {
        calls.withLock { $0.append(.instant(query, time)) }
        return try await answering()
    }

    func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64, on storage: any Queryable) async throws(QueryError) -> QueryResult {
        calls.withLock { $0.append(.range(query, start, end, step)) }
        return try await answering()
    }
}

/// An in-memory storage over fixed series; matchers filter as a real querier would.
struct FixedStorage: Queryable {
    var series: [ArraySeries]
    var failure: String? = nil

    func withQuerier<R: Sendable>(from mint: Timestamp, through maxt: Timestamp,
                                  _ body: (any Querier) async throws -> R) async throws -> R {
        if let failure { throw StorageFailure(message: failure) }
        return try await body(FixedQuerier(series: series))
    }
}

struct StorageFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

struct FixedQuerier: Querier {
    var series: [ArraySeries]

    func matching(_ matchers: [LabelMatcher]) -> [ArraySeries] {
        series.filter { one in matchers.allSatisfy { $0.matches(one.labels[$0.name]) } }
    }

    func select(_ matchers: [LabelMatcher], hints: SelectHints?, sorted: Bool) async throws -> any SeriesSet {
        FixedSeriesSet(remaining: matching(matchers).sorted { $0.labels < $1.labels })
    }

    func labelNames(matching matchers: [LabelMatcher]) async throws -> [String] {
        Array(Set(matching(matchers).flatMap { $0.labels.map(\.name) })).sorted()
    }

    func labelValues(_ name: String, matching matchers: [LabelMatcher]) async throws -> [String] {
        Array(Set(matching(matchers).compactMap { $0.labels.value(of: name) })).sorted()
    }
}

struct FixedSeriesSet: SeriesSet {
    var remaining: [ArraySeries]
    var annotations = Annotations()
    mutating func next() throws -> (any Series)? { remaining.isEmpty ? nil : remaining.removeFirst() }
}

/// A tiny selector parser for tests: `name` or `name{a="b",c!="d"}` or `{a=~"x"}`.
let testSelectorParser: SelectorParser = { text in
    struct Bad: Error, CustomStringConvertible { var description: String }
    var matchers: [LabelMatcher] = []
    var rest = Substring(text)
    if let brace = rest.firstIndex(of: "{") {
        let name = rest[..<brace]
        if !name.isEmpty { matchers.append(.equal("__name__", String(name))) }
        guard rest.hasSuffix("}") else { throw Bad(description: "1:\(text.count + 1): parse error: unexpected end of input") }
        rest = rest[rest.index(after: brace)..<rest.index(before: rest.endIndex)]
        for part in rest.split(separator: ",") {
            for op in [MatchType.regexMatch, .regexNoMatch, .notEqual, .equal] {
                if let range = part.range(of: op.rawValue) {
                    let value = part[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    matchers.append(try LabelMatcher(op, String(part[..<range.lowerBound]), value))
                    break
                }
            }
        }
    } else {
        guard !rest.isEmpty else { throw Bad(description: "1:1: parse error: unexpected end of input") }
        matchers.append(.equal("__name__", String(rest)))
    }
    return matchers
}
