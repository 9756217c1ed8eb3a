import Foundation
import PharosCore

extension AlertmanagerAPI {
    func silenceJSON(_ silence: Silence, now: Date) -> JSONOut {
        .object([
            ("id", .string(silence.id)),
            ("status", .object([("state", .string(silence.state(at: now).rawValue))])),
            ("updatedAt", .string(AlertmanagerTime.apiString(silence.updatedAt))),
            ("comment", .string(silence.comment)),
            ("createdBy", .string(silence.createdBy)),
            ("endsAt", .string(AlertmanagerTime.apiString(silence.endsAt))),
            ("matchers", .array(silence.matchers.map { matcher in
                .object([("isEqual", .bool(matcher.isEqual)), ("isRegex", .bool(matcher.isRegex)),
                         ("name", .string(matcher.name)), ("value", .string(matcher.value))])
            })),
            ("startsAt", .string(AlertmanagerTime.apiString(silence.startsAt))),
        ])
    }

    /// Active first (soonest end first), then pending (soonest start first), then expired (latest end first).
    func getSilences(_ request: AlertmanagerAPIRequest) -> AlertmanagerAPIResponse {
        var matchers: [LabelMatcher] = []
        for value in request.values("filter") {
            do { matchers += try MatcherParser.parseMatchers(value) } catch { return .error(400, "bad matcher format: \(value)") }
        }
        let now = self.now
        let silences = alertmanager.silences.all.filter { silence in
            var labels: [String: String] = [:]
            for matcher in silence.matchers { labels[matcher.name] = matcher.value }
            return Self.matchesFilter(matchers, Labels(labels))
        }
        func rank(_ state: Silence.State) -> Int { state == .active ? 0 : state == .pending ? 1 : 2 }
        let sorted = silences.sorted { a, b in
            let sa = a.state(at: now), sb = b.state(at: now)
            if sa != sb { return rank(sa) < rank(sb) }
            switch sa {
            case .active: return a.endsAt != b.endsAt ? a.endsAt < b.endsAt : a.id < b.id
            case .pending: return a.startsAt != b.startsAt ? a.startsAt < b.startsAt : a.id < b.id
            case .expired: return a.endsAt != b.endsAt ? a.endsAt > b.endsAt : a.id < b.id
            }
        }
        return .json(.array(sorted.map { silenceJSON($0, now: now) }))
    }

    func postSilence(_ body: [UInt8]) -> AlertmanagerAPIResponse {
        let silence: Silence
        do {
            silence = try Self.parseSilence(body)
        } catch {
            return .json(.object([("code", .int(400)), ("message", .string(error.message))]), status: 400)
        }
        let now = self.now
        if silence.startsAt >= silence.endsAt { return .error(400, "failed to create silence: start time must be before end time") }
        if silence.endsAt < now { return .error(400, "failed to create silence: end time can't be in the past") }
        do {
            let id = try alertmanager.setSilence(silence)
            return .json(.object([("silenceID", .string(id))]))
        } catch {
            return .error(error.notFound ? 404 : 400, error.message)
        }
    }

    func deleteSilence(_ id: String) -> AlertmanagerAPIResponse {
        do {
            try alertmanager.expireSilence(id)
            return .init(status: 200, body: [])
        } catch {
            return error.notFound ? .init(status: 404, body: []) : .error(500, error.message)
        }
    }

    static func parseSilence(_ body: [UInt8]) throws(APIBodyError) -> Silence {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw APIBodyError("body: cannot parse the request body as JSON: \(error.localizedDescription)")
        }
        guard let object = json as? [String: Any] else { throw APIBodyError("silence in body must be of type object") }
        func string(_ key: String, required: Bool = true) throws(APIBodyError) -> String {
            guard let value = object[key], !(value is NSNull) else {
                if required { throw APIBodyError("\(key) in body is required") }
                return ""
            }
            guard let text = value as? String else { throw APIBodyError("\(key) in body must be of type string: \(value)") }
            return text
        }
        func date(_ key: String) throws(APIBodyError) -> Date {
            let text = try string(key)
            guard let date = AlertmanagerTime.parse(text) else {
                throw APIBodyError("\(key) in body must be of type date-time: \(goQuote(text))")
            }
            return date
        }
        guard let list = object["matchers"] as? [Any] else { throw APIBodyError("matchers in body is required") }
        var matchers: [SilenceMatcher] = []
        for (index, item) in list.enumerated() {
            guard let m = item as? [String: Any] else { throw APIBodyError("matchers.\(index) in body must be of type object") }
            guard let name = m["name"] as? String else { throw APIBodyError("matchers.\(index).name in body is required") }
            guard let value = m["value"] as? String else { throw APIBodyError("matchers.\(index).value in body is required") }
            guard let isRegex = m["isRegex"] as? Bool else { throw APIBodyError("matchers.\(index).isRegex in body is required") }
            let isEqual = (m["isEqual"] as? Bool) ?? true
            matchers.append(SilenceMatcher(name: name, value: value, isRegex: isRegex, isEqual: isEqual))
        }
        return Silence(id: try string("id", required: false), matchers: matchers, startsAt: try date("startsAt"),
                       endsAt: try date("endsAt"), createdBy: try string("createdBy"), comment: try string("comment"))
    }
}
