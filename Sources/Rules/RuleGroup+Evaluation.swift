import CoreMetrics
import Synchronization
import Logging
import PharosCore

extension RuleGroup {
    /// Evaluates every rule in order at `timestamp` (ms; queries run at `timestamp - queryOffset`),
    /// writes their output and staleness markers, and sends alerts (Prometheus' `Group.Eval`).
    /// A failing rule is marked `err` and the next one runs.
    package func evaluate(at timestamp: Timestamp) async {
        let sampleTime = timestamp - queryOffset
        var samplesTotal = 0
        for (index, rule) in rules.enumerated() {
            let started = options.now()
            let clockStart = ContinuousClock.now
            metrics.evaluations.increment()
            let output: [RuleSample]
            do {
                let result = try await options.querying.query(rule.expr, source: rule.query, at: sampleTime)
                output = try await apply(result, rule: index, at: timestamp, sampleTime: sampleTime)
            } catch {
                let message = (error as? RuleError)?.message ?? "\(error)"
                state.withLock {
                    $0.rules[index].health = .err
                    $0.rules[index].lastError = message
                    $0.rules[index].lastEvaluation = started
                    $0.rules[index].evaluationSeconds = seconds(since: clockStart)
                }
                metrics.failures.increment()
                options.logger.warning("Evaluating rule failed", metadata: [
                    "rules.group": "\(name)", "rules.file": "\(file)", "rules.rule": "\(rule.spec.name)", "rules.error": "\(message)",
                ])
                continue
            }
            samplesTotal += output.count
            if rule.spec.kind == .alerting { await sendAlerts(rule: index, at: timestamp) }
            let appendError = await write(output, rule: index, at: sampleTime)
            let elapsed = seconds(since: clockStart)
            options.metrics.evaluationDuration.recordNanoseconds(Int64(elapsed * 1e9))
            state.withLock {
                $0.rules[index].health = appendError == nil ? .ok : .err
                $0.rules[index].lastError = appendError
                $0.rules[index].lastEvaluation = started
                $0.rules[index].evaluationSeconds = elapsed
            }
        }
        metrics.lastSamples.record(samplesTotal)
        let stale = state.withLock { state -> [Labels] in
            defer { state.staleSeries = [] }
            return state.staleSeries
        }
        if !stale.isEmpty { await writeStale(stale, at: sampleTime) }
    }

    /// The rule's output samples for one query result, updating alert state.
    private func apply(_ result: [RuleSample], rule index: Int, at timestamp: Timestamp,
                       sampleTime: Timestamp) async throws(RuleError) -> [RuleSample] {
        let rule = rules[index]
        switch rule.spec.kind {
        case .recording:
            var seen: Set<Labels> = []
            var out: [RuleSample] = []
            for sample in result {
                var builder = LabelsBuilder(sample.labels)
                builder.set(Labels.metricName, rule.spec.name)
                for label in rule.spec.labels { set(&builder, label.name, label.value) }
                let labels = builder.labels()
                guard seen.insert(labels).inserted else {
                    throw RuleError(.evaluation, message: "vector contains metrics with the same labelset after applying rule labels")
                }
                out.append(RuleSample(labels: labels, value: sample.value))
            }
            if limit > 0, out.count > limit {
                throw RuleError(.limit, message: "exceeded limit of \(limit) with \(out.count) series")
            }
            return out
        case .alerting:
            var candidates: [AlertCandidate] = []
            candidates.reserveCapacity(result.count)
            for sample in result { candidates.append(await candidate(for: sample, rule: rule, at: timestamp)) }
            return try state.withLock { (state) throws(RuleError) -> [RuleSample] in
                guard var alerting = state.rules[index].alerting else { return [] }
                defer { state.rules[index].alerting = alerting }
                return try alerting.evaluate(candidates, at: timestamp, sampleTime: sampleTime, limit: limit)
            }
        }
    }

    /// Labels and annotations of one alert, templates expanded (Prometheus' `AlertingRule.Eval`).
    private func candidate(for sample: RuleSample, rule: RuleDefinition, at timestamp: Timestamp) async -> AlertCandidate {
        func expand(_ text: String) async -> String {
            await options.templates.expand(template: text, ruleName: rule.spec.name, labels: sample.labels, value: sample.value,
                                           externalLabels: options.externalLabels, externalURL: options.externalURL,
                                           evaluationTime: timestamp)
        }
        var builder = LabelsBuilder(sample.labels)
        builder.delete(Labels.metricName)
        for label in rule.spec.labels { set(&builder, label.name, await expand(label.value)) }
        builder.set("alertname", rule.spec.name)
        var annotations: [Label] = []
        for annotation in rule.spec.annotations {
            annotations.append(Label(name: annotation.name, value: await expand(annotation.value)))
        }
        let annotationSet = Labels(annotations)
        return AlertCandidate(labels: builder.labels(), annotations: annotationSet, value: sample.value)
    }

    /// Go's `labels.Builder.Set`: an empty value deletes the label.
    private func set(_ builder: inout LabelsBuilder, _ name: String, _ value: String) {
        if value.isEmpty { builder.delete(name) } else { builder.set(name, value) }
    }

    private func sendAlerts(rule index: Int, at timestamp: Timestamp) async {
        let due = state.withLock { state -> [ActiveAlert] in
            guard var alerting = state.rules[index].alerting else { return [] }
            defer { state.rules[index].alerting = alerting }
            return alerting.alertsToSend(at: timestamp, resendDelay: options.resendDelay, interval: interval)
        }
        guard !due.isEmpty else { return }
        let query = rules[index].query
        let url = options.externalURL + "/graph?g0.expr=" + goQueryEscape(query) + "&g0.tab=1"
        let alerts = due.map { alert in
            Alert(labels: alert.labels, annotations: alert.annotations, startsAt: alert.firedAt ?? alert.activeAt,
                  endsAt: alert.resolvedAt ?? alert.validUntil ?? timestamp, generatorURL: url)
        }
        await options.sink.send(alerts, expression: query)
    }

    /// Appends the output and stale markers for series of the last evaluation that are gone;
    /// returns the first append error's text (the rule is then unhealthy).
    private func write(_ output: [RuleSample], rule index: Int, at sampleTime: Timestamp) async -> String? {
        let appender = options.appendable.makeAppender()
        var returned: Set<Labels> = []
        var firstError: String?
        for sample in output {
            do {
                _ = try appender.append(.unknown, sample.labels, at: sampleTime, value: sample.value, options: .none)
                returned.insert(sample.labels)
            } catch {
                // As Prometheus: the rule turns unhealthy and the series counts as not returned.
                if firstError == nil { firstError = error.description }
            }
        }
        let previous = state.withLock { $0.rules[index].previousSeries }
        for labels in previous.subtracting(returned).sorted() {
            _ = try? appender.append(.unknown, labels, at: sampleTime, value: StaleNaN.value, options: .none)
        }
        do {
            try await appender.commit()
        } catch {
            options.logger.warning("Rule sample appending failed", metadata: ["rules.group": "\(name)", "rules.error": "\(error)"])
        }
        state.withLock { $0.rules[index].previousSeries = returned }
        return firstError
    }

    func writeStale(_ series: [Labels], at time: Timestamp) async {
        let appender = options.appendable.makeAppender()
        for labels in series {
            _ = try? appender.append(.unknown, labels, at: time, value: StaleNaN.value, options: .none)
        }
        try? await appender.commit()
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Go's `url.QueryEscape`: unreserved bytes kept, space as `+`, the rest `%XX`.
package func goQueryEscape(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        case UInt8(ascii: " "): out += "+"
        default:
            let hex = Array("0123456789ABCDEF")
            out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
        }
    }
    return out
}
