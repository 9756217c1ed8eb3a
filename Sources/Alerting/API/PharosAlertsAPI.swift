import Foundation
import PharosCore

/// Pharos' own alert endpoints under `/api/pharos/v1/alerts` (CONFIG.md): acks and the
/// history. Answers are `{"status":"success","data":…}` or
/// `{"status":"error","errorType":…,"error":…}`, as Prometheus' API answers. Thread-safe.
package struct PharosAlertsAPI: Sendable {
    package enum Operation: Sendable, Hashable {
        case getAcks, postAck, getHistory, getMaintenance
        case deleteAck(String)
    }

    package let alertmanager: EmbeddedAlertmanager

    package init(alertmanager: EmbeddedAlertmanager) { self.alertmanager = alertmanager }

    package func handle(_ operation: Operation, query: [(name: String, value: String)], body: [UInt8]) -> AlertmanagerAPIResponse {
        switch operation {
        case .getAcks: return success(.array(alertmanager.journal.acks.all.map(Self.ackJSON)))
        case .postAck: return postAck(body)
        case .deleteAck(let id):
            guard alertmanager.withdrawAck(id) else { return failure(404, "not_found", "no ack with id \(goQuote(id))") }
            return success(.null)
        case .getHistory: return getHistory(query)
        case .getMaintenance: return success(.array(maintenanceJSON()))
        }
    }

    func postAck(_ body: [UInt8]) -> AlertmanagerAPIResponse {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return failure(400, "bad_data", "body: expected a JSON object with groupKey or matchers")
        }
        func text(_ key: String) -> Result<String?, AlertmanagerAPIResponse> {
            guard let value = object[key], !(value is NSNull) else { return .success(nil) }
            guard let string = value as? String else { return .failure(failure(400, "bad_data", "\(key): expected a string")) }
            return .success(string)
        }
        let groupKey: String?, by: String, comment: String
        switch (text("groupKey"), text("by"), text("comment")) {
        case (.success(let g), .success(let b), .success(let c)):
            (groupKey, by, comment) = (g, b ?? "", c ?? "")
        case (.failure(let response), _, _), (_, .failure(let response), _), (_, _, .failure(let response)):
            return response
        }
        var matchers: [SilenceMatcher] = []
        if let list = object["matchers"], !(list is NSNull) {
            guard let items = list as? [Any] else { return failure(400, "bad_data", "matchers: expected a list") }
            for (index, item) in items.enumerated() {
                guard let m = item as? [String: Any], let name = m["name"] as? String, let value = m["value"] as? String else {
                    return failure(400, "bad_data", "matchers[\(index)]: expected an object with name and value strings")
                }
                let isRegex = (m["isRegex"] as? Bool) ?? false
                let isEqual = (m["isEqual"] as? Bool) ?? true
                matchers.append(SilenceMatcher(name: name, value: value, isRegex: isRegex, isEqual: isEqual))
            }
        }
        if groupKey == nil, matchers.isEmpty { return failure(400, "bad_data", "an ack needs a groupKey or matchers") }
        if groupKey != nil, !matchers.isEmpty { return failure(400, "bad_data", "an ack takes a groupKey or matchers, not both") }
        do {
            let ack = try alertmanager.acknowledge(groupKey: groupKey, matchers: matchers, by: by, comment: comment)
            return success(.object([("id", .string(ack.id))]))
        } catch {
            return failure(error.notFound ? 404 : 400, error.notFound ? "not_found" : "bad_data", error.message)
        }
    }

    func getHistory(_ query: [(name: String, value: String)]) -> AlertmanagerAPIResponse {
        var matchers: [LabelMatcher] = []
        var start: Date?, end: Date?, limit: Int?
        for (name, value) in query {
            switch name {
            case "filter":
                do {
                    matchers += try MatcherParser.parseMatchers(value)
                } catch {
                    return failure(400, "bad_data", "filter: invalid matcher \(goQuote(value)): \(error.message)")
                }
            case "start", "end":
                guard let date = Self.parseTime(value) else {
                    return failure(400, "bad_data", "\(name): cannot parse \(goQuote(value)) as an RFC 3339 time or Unix timestamp")
                }
                if name == "start" { start = date } else { end = date }
            case "limit":
                guard let number = Int(value), number >= 0 else {
                    return failure(400, "bad_data", "limit: expected a non-negative integer, got \(goQuote(value))")
                }
                limit = number == 0 ? nil : number
            default: continue
            }
        }
        let entries = alertmanager.journal.history.query(matchers: matchers, start: start, end: end, limit: limit)
        return success(.array(entries.map(Self.entryJSON)))
    }

    static func parseTime(_ text: String) -> Date? {
        if let date = AlertmanagerTime.parse(text) { return date }
        if let seconds = Double(text), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
        return nil
    }

    /// `GET /api/pharos/v1/maintenance`: each window with its checks, matchers, schedule,
    /// whether it is open now and when it next opens.
    func maintenanceJSON() -> [JSONOut] {
        let now = alertmanager.configuration.clock.now()
        let intervals = alertmanager.currentConfig?.namedTimeIntervals ?? TimeIntervals()
        return alertmanager.policies.maintenance.map { window in
            var fields: [(String, JSONOut)] = [
                ("name", .string(window.name)), ("checks", .array(window.checks.map(JSONOut.string))),
                ("matchers", .array(window.matchers.map { .string($0.description) })),
                ("active", .bool(window.isActive(at: now, intervals: intervals))),
                ("nextStart", window.nextStart(after: now, intervals: intervals).map { .string(AlertmanagerTime.apiString($0)) } ?? .null),
            ]
            switch window.schedule {
            case .once(let start, let duration):
                fields += [("start", .string(AlertmanagerTime.apiString(start))),
                           ("end", .string(AlertmanagerTime.apiString(start.addingTimeInterval(duration)))), ("timeIntervals", .array([]))]
            case .recurring(let names):
                fields += [("start", .null), ("end", .null), ("timeIntervals", .array(names.map(JSONOut.string)))]
            }
            return .object(fields)
        }
    }

    static func ackJSON(_ ack: AlertAck) -> JSONOut {
        .object([
            ("id", .string(ack.id)),
            ("groupKey", ack.groupKey.map(JSONOut.string) ?? .null),
            ("matchers", .array(ack.matchers.map { m in
                .object([("name", .string(m.name)), ("value", .string(m.value)), ("isRegex", .bool(m.isRegex)),
                         ("isEqual", .bool(m.isEqual))])
            })),
            ("by", .string(ack.by)),
            ("comment", .string(ack.comment)),
            ("createdAt", .string(AlertmanagerTime.apiString(ack.createdAt))),
            ("alerts", .int(ack.covered.count)),
        ])
    }

    static func entryJSON(_ entry: HistoryEntry) -> JSONOut {
        .object([
            ("time", .string(AlertmanagerTime.apiString(entry.time))),
            ("kind", .string(entry.kind.rawValue)),
            ("groupKey", .string(entry.groupKey)),
            ("receiver", .string(entry.receiver)),
            ("labels", .labels(entry.labelSet)),
            ("by", .string(entry.by)),
            ("comment", .string(entry.comment)),
            ("error", .string(entry.error)),
        ])
    }

    func success(_ data: JSONOut) -> AlertmanagerAPIResponse {
        .json(.object([("status", .string("success")), ("data", data)]))
    }

    func failure(_ status: Int, _ type: String, _ message: String) -> AlertmanagerAPIResponse {
        .json(.object([("status", .string("error")), ("errorType", .string(type)), ("error", .string(message))]), status: status)
    }
}
