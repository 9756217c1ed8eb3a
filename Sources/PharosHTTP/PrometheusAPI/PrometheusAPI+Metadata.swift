import NIOCore
import PharosCore

extension PrometheusAPI {
    /// `/api/v1/series`: `match[]` (required, repeated), `start`, `end`, `limit`.
    /// Series are deduplicated and sorted by labels. As in Prometheus, only this endpoint
    /// refuses a form with an invalid escape.
    package func series(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        if let parseError = form.parseError { throw parseError }
        let selectors = form.all("match[]")
        guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let start = try APIParameters.timeParameter(form, "start", default: APIParameters.minTime)
        let end = try APIParameters.timeParameter(form, "end", default: APIParameters.maxTime)
        let matcherSets: [[LabelMatcher]]
        do { matcherSets = try parseMatchers(selectors) } catch {
            throw APIError.invalidParameter("match[]", error.message)
        }
        let limit = try APIParameters.limitParameter(form)
        let storage = try requireStorage()
        let hints = SelectHints(start: start, end: end, function: "series")
        var (sets, annotations) = try await onQuerier(storage, start, end) { querier in
            var found = Set<Labels>()
            var annotations = Annotations()
            for matchers in matcherSets {
                var set = try await querier.select(matchers, hints: hints, sorted: true)
                while let one = try set.next() { found.insert(one.labels) }
                annotations.merge(set.annotations)
            }
            return (found.sorted(), annotations)
        }
        if limit > 0, sets.count > limit {
            sets.removeSubrange(limit...)
            annotations.warn("results truncated due to limit")
        }
        return APIResponse.series(sets, annotations: annotations)
    }

    /// `/api/v1/labels`: `match[]` (optional), `start`, `end`, `limit`.
    package func labelNames(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        let start = try APIParameters.timeParameter(form, "start", default: APIParameters.minTime)
        let end = try APIParameters.timeParameter(form, "end", default: APIParameters.maxTime)
        let matcherSets: [[LabelMatcher]]
        // Prometheus wraps selector errors in `invalid parameter` for series only.
        matcherSets = try parseMatchers(form.all("match[]"))
        let limit = try APIParameters.limitParameter(form)
        let storage = try requireStorage()
        var names = try await onQuerier(storage, start, end) { querier in
            if matcherSets.isEmpty { return try await querier.labelNames(matching: []) }
            var found = Set<BytewiseString>()
            for matchers in matcherSets {
                found.formUnion(try await querier.labelNames(matching: matchers).map { BytewiseString($0) })
            }
            return found.sorted().map(\.string)
        }
        var annotations = Annotations()
        if limit > 0, names.count > limit {
            names.removeSubrange(limit...)
            annotations.warn("results truncated due to limit")
        }
        return APIResponse.strings(names, annotations: annotations)
    }

    /// `/api/v1/label/{name}/values`: `match[]` (optional), `start`, `end`, `limit`.
    /// `name` may use the `U__` escaping of UTF-8 names (`U__a_2e_b` is `a.b`).
    package func labelValues(_ rawName: String, _ form: FormParameters) async throws(APIError) -> ByteBuffer {
        guard let name = Self.unescapeLabelName(rawName), !name.isEmpty else {
            throw APIError(.badData, "invalid label name: \(goQuote(rawName))")
        }
        let start = try APIParameters.timeParameter(form, "start", default: APIParameters.minTime)
        let end = try APIParameters.timeParameter(form, "end", default: APIParameters.maxTime)
        let matcherSets: [[LabelMatcher]]
        // Prometheus wraps selector errors in `invalid parameter` for series only.
        matcherSets = try parseMatchers(form.all("match[]"))
        let limit = try APIParameters.limitParameter(form)
        let storage = try requireStorage()
        var values = try await onQuerier(storage, start, end) { querier in
            if matcherSets.isEmpty { return try await querier.labelValues(name, matching: []) }
            var found = Set<BytewiseString>()
            for matchers in matcherSets {
                found.formUnion(try await querier.labelValues(name, matching: matchers).map { BytewiseString($0) })
            }
            return found.sorted().map(\.string)
        }
        var annotations = Annotations()
        if limit > 0, values.count > limit {
            values.removeSubrange(limit...)
            annotations.warn("results truncated due to limit")
        }
        return APIResponse.strings(values, annotations: annotations)
    }

    /// Prometheus' `U__` escaping: `_` stays, `__` is `_`, `_XX_` is the scalar U+XX (hex).
    /// Names without the prefix are returned unchanged; a malformed escape is nil.
    package static func unescapeLabelName(_ name: String) -> String? {
        guard name.hasPrefix("U__") else { return name }
        var out = ""
        var rest = Substring(name.dropFirst(3))
        while let underscore = rest.firstIndex(of: "_") {
            out += rest[..<underscore]
            rest = rest[rest.index(after: underscore)...]
            if rest.first == "_" {
                out += "_"
                rest = rest.dropFirst()
                continue
            }
            guard let close = rest.firstIndex(of: "_"), let code = UInt32(rest[..<close], radix: 16),
                  let scalar = Unicode.Scalar(code) else { return nil }
            out.unicodeScalars.append(scalar)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private func requireStorage() throws(APIError) -> any Queryable {
        guard let storage else { throw APIError(.unavailable, "storage is not available", location: "api") }
        return storage
    }

    /// Parses each selector; every set needs a matcher that does not match the empty string.
    private func parseMatchers(_ selectors: [String]) throws(APIError) -> [[LabelMatcher]] {
        guard !selectors.isEmpty else { return [] }
        guard let parseSelector else {
            throw APIError(.unavailable, "series selector parsing is not available", location: "match[]")
        }
        var sets: [[LabelMatcher]] = []
        for selector in selectors {
            do { sets.append(try parseSelector(selector)) } catch {
                throw APIError(.badData, String(describing: error))
            }
        }
        for set in sets where set.allSatisfy(\.matchesEmpty) {
            throw APIError(.badData, "match[] must contain at least one non-empty matcher")
        }
        return sets
    }

    /// Runs `body` on a querier; storage failures are `execution` errors as in Prometheus.
    private func onQuerier<R: Sendable>(_ storage: any Queryable, _ start: Timestamp, _ end: Timestamp,
                                        _ body: (any Querier) async throws -> R) async throws(APIError) -> R {
        do {
            return try await storage.withQuerier(from: start, through: end, body)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.execution, String(describing: error))
        }
    }
}
