import HTTPTypes
import NIOCore
import PharosCore

/// What the TSDB admin endpoints do to storage (Prometheus' `--web.enable-admin-api`),
/// adapted by the server over the TSDB; HTTP stays here, the work stays in the domain.
///
/// Methods throw `APIError` to choose the answer (e.g. `unavailable` while the WAL replays);
/// any other error answers `internal` (500) with its description, as Prometheus does.
package protocol TSDBAdministering: Sendable {
    /// Writes a snapshot of the persisted blocks (and the head, unless `skipHead`) under the
    /// data folder's `snapshots/` and returns the new folder's name.
    func snapshot(skipHead: Bool) async throws -> String
    /// Deletes the samples in [start, end] (ms, inclusive) of the series matching `matchers`.
    func deleteSeries(matching matchers: [LabelMatcher], from start: Timestamp, through end: Timestamp) async throws
    /// Rewrites the blocks that have tombstones without the deleted samples.
    func cleanTombstones() async throws
}

extension PrometheusAPI {
    /// Prometheus 2.42's answer while `--web.enable-admin-api` is off: `unavailable`, HTTP 500.
    static let adminDisabled = APIError(.unavailable, "admin APIs disabled", location: "admin", status: .internalServerError)

    /// `POST|PUT /api/v1/admin/tsdb/snapshot`: `skip_head` (Go's `strconv.ParseBool`
    /// spellings). Answers `{"name": …}`.
    package func snapshot(_ form: FormParameters) async throws(APIError) -> ByteBuffer {
        guard let admin else { throw Self.adminDisabled }
        var skipHead = false
        if let text = form["skip_head"], !text.isEmpty {
            guard let value = Self.parseGoBool(text) else {
                throw APIError.invalidParameter("skip_head",
                                                "unable to parse boolean: strconv.ParseBool: parsing \(goQuote(text)): invalid syntax")
            }
            skipHead = value
        }
        let name: String
        do { name = try await admin.snapshot(skipHead: skipHead) } catch {
            throw Self.adminError(error, prefix: "create snapshot: ")
        }
        return APIResponse.success { json in
            json.raw("{\"name\":")
            json.string(name)
            json.raw("}")
        }
    }

    /// `POST|PUT /api/v1/admin/tsdb/delete_series`: `match[]` (required, repeated), `start`,
    /// `end` (default: all time). Every selector is parsed before anything is deleted. Answers
    /// nothing (the router sends 204).
    package func deleteSeries(_ form: FormParameters) async throws(APIError) {
        guard let admin else { throw Self.adminDisabled }
        if let parseError = form.parseError { throw parseError }
        let selectors = form.all("match[]")
        guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let start = try APIParameters.timeParameter(form, "start", default: APIParameters.minTime)
        let end = try APIParameters.timeParameter(form, "end", default: APIParameters.maxTime)
        guard let parseSelector else {
            throw APIError(.unavailable, "series selector parsing is not available", location: "match[]")
        }
        var matcherSets: [[LabelMatcher]] = []
        for selector in selectors {
            do { matcherSets.append(try parseSelector(selector)) } catch {
                throw APIError.invalidParameter("match[]", String(describing: error))
            }
        }
        for matchers in matcherSets {
            do { try await admin.deleteSeries(matching: matchers, from: start, through: end) } catch {
                throw Self.adminError(error, prefix: "")
            }
        }
    }

    /// `POST|PUT /api/v1/admin/tsdb/clean_tombstones`. Answers nothing (204).
    package func cleanTombstones() async throws(APIError) {
        guard let admin else { throw Self.adminDisabled }
        do { try await admin.cleanTombstones() } catch {
            throw Self.adminError(error, prefix: "")
        }
    }

    private static func adminError(_ error: any Error, prefix: String) -> APIError {
        if let error = error as? APIError { return error }
        return APIError(.internal, prefix + String(describing: error), location: "admin")
    }

    /// Go's `strconv.ParseBool`.
    static func parseGoBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
