import Foundation
import PharosCore

/// A malformed request body, with the message naming the field (go-swagger's wording).
struct APIBodyError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// `POST /api/v2/alerts` bodies: parsed, defaulted and validated as Alertmanager does.
enum PostedAlerts {
    /// The valid alerts (defaulted: `startsAt` = now or `endsAt`, missing `endsAt` = now +
    /// resolve_timeout with `timeout` set) and the validation errors of the others. Throws for
    /// a body that is not an array of alert objects.
    static func parse(_ body: [UInt8], now: Date, resolveTimeout: TimeInterval) throws(APIBodyError) -> ([AlertmanagerAlert], [String]) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(body)
        } catch {
            throw APIBodyError("body: cannot parse the request body as JSON: \(error)")
        }
        guard case .array(let items) = json else { throw APIBodyError("body in body must be of type array") }
        var alerts: [AlertmanagerAlert] = []
        var errors: [String] = []
        alerts.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .object = item else { throw APIBodyError("\(index) in body must be of type object") }
            guard let labelsValue = item["labels"] else { throw APIBodyError("\(index).labels in body is required") }
            let labels = try labelSet(labelsValue, field: "\(index).labels")
            let annotations = try item["annotations"].map { v throws(APIBodyError) in try labelSet(v, field: "\(index).annotations") } ?? .empty
            let startsAt = try date(item["startsAt"], field: "\(index).startsAt")
            let endsAt = try date(item["endsAt"], field: "\(index).endsAt")
            var generatorURL = ""
            if let value = item["generatorURL"], !value.isNull {
                guard case .string(let text) = value else { throw APIBodyError("\(index).generatorURL in body must be of type uri: \(value)") }
                generatorURL = text
            }
            var alert = AlertmanagerAlert(labels: labels, annotations: annotations, startsAt: startsAt ?? now,
                                          endsAt: endsAt ?? now, generatorURL: generatorURL, updatedAt: now)
            if startsAt == nil, let endsAt { alert.startsAt = endsAt }
            if endsAt == nil {
                alert.timeout = true
                alert.endsAt = now.addingTimeInterval(resolveTimeout)
            }
            if let message = validate(alert) {
                errors.append(message)
                continue
            }
            alerts.append(alert)
        }
        return (alerts, errors)
    }

    /// `types.Alert.Validate`.
    static func validate(_ alert: AlertmanagerAlert) -> String? {
        if alert.endsAt < alert.startsAt { return "start time must be before end time" }
        if alert.labels.isEmpty { return "at least one label pair required" }
        for label in alert.labels {
            if !Labels.isValidLegacyName(label.name) { return "invalid label set: invalid name \(goQuote(label.name))" }
        }
        for label in alert.annotations {
            if !Labels.isValidLegacyName(label.name) { return "invalid annotations: invalid name \(goQuote(label.name))" }
        }
        return nil
    }

    /// A JSON object of strings as a label set (a repeated name: the last one wins, as in Go).
    static func labelSet(_ value: JSONValue, field: @autoclosure () -> String) throws(APIBodyError) -> Labels {
        guard case .object(let members) = value else { throw APIBodyError("\(field()) in body must be of type object: \(value)") }
        var pairs: [Label] = []
        pairs.reserveCapacity(members.count)
        for (name, value) in members {
            guard case .string(let text) = value else { throw APIBodyError("\(field()).\(name) in body must be of type string: \(value)") }
            pairs.append(Label(name: name, value: text))
        }
        return Labels(pairs)
    }

    static func date(_ value: JSONValue?, field: @autoclosure () -> String) throws(APIBodyError) -> Date? {
        guard let value, !value.isNull else { return nil }
        guard case .string(let text) = value, let date = AlertmanagerTime.parse(text) else {
            throw APIBodyError("\(field()) in body must be of type date-time: \(goQuote("\(value)"))")
        }
        // Go's zero time counts as unset.
        return date.timeIntervalSince1970 <= -62_135_596_800 ? nil : date
    }
}
