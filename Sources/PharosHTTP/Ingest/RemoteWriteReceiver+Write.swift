import HTTPTypes
import Exposition
import PharosCore

extension RemoteWriteReceiver {
    /// Appends a decoded request in one transaction (see the type's contract).
    package func write(_ request: WriteRequest) async -> Outcome {
        let appender = appendable.makeAppender()
        let maxTime = now() + configuration.maxAheadTime
        var outcome = Outcome(IngestResponse(.noContent))
        var refusals: [String] = []
        for series in request.timeseries {
            guard Self.isValid(series.labels) else {
                outcome.invalidLabels += series.samples.count
                continue
            }
            let labels = series.labelSet
            var ref = SeriesRef.unknown
            samples: for (index, sample) in series.samples.enumerated() {
                do throws(AppendError) {
                    if sample.timestamp > maxTime {
                        throw AppendError(.outOfBounds, "timestamp \(sample.timestamp) is more than \(configuration.maxAheadTime)ms ahead of now")
                    }
                    ref = try appender.append(ref, labels, at: sample.timestamp, value: sample.value, options: .none)
                    outcome.appended += 1
                } catch {
                    switch error.kind {
                    case .outOfOrder, .outOfBounds, .duplicateTimestamp, .tooOld:
                        outcome.rejected += 1
                        if refusals.count < 10 { refusals.append("\(error.kind.rawValue) for series \(labels)") }
                        if !configuration.partialWrites {
                            appender.rollback()
                            return Self.refused(outcome, refusals, committed: false)
                        }
                    case .invalidLabels:
                        // The storage's own label rules: skipped and counted like the checks above.
                        outcome.invalidLabels += series.samples.count - index
                        break samples
                    default:
                        appender.rollback()
                        outcome.appended = 0
                        outcome.response = IngestResponse(.internalServerError, "\(error)")
                        return outcome
                    }
                }
            }
            for remote in series.exemplars { appendExemplar(remote, to: appender, ref, labels, &outcome) }
        }
        do {
            try await appender.commit()
        } catch {
            outcome.appended = 0
            outcome.response = IngestResponse(.internalServerError, "cannot commit remote write request: \(error)")
            return outcome
        }
        return outcome.rejected > 0 ? Self.refused(outcome, refusals, committed: true) : outcome
    }

    /// Prometheus' handling: an exemplar refused by storage (unknown series, out of order, labels
    /// too long) is dropped and counted, never a failure of the request. A zero timestamp means
    /// the sender gave none.
    private func appendExemplar(_ remote: RemoteExemplar, to appender: any Appender, _ ref: SeriesRef, _ labels: Labels,
                                _ outcome: inout Outcome) {
        let exemplar = Exemplar(labels: Labels(remote.labels), value: remote.value, timestamp: remote.timestamp,
                                hasTimestamp: remote.timestamp != 0)
        do {
            _ = try appender.appendExemplar(ref, labels, exemplar)
            outcome.exemplars += 1
        } catch {
            outcome.droppedExemplars += 1
        }
    }

    private static func refused(_ outcome: Outcome, _ refusals: [String], committed: Bool) -> Outcome {
        var outcome = outcome
        if !committed {
            outcome.appended = 0
            outcome.response = IngestResponse(.badRequest, refusals.first ?? "sample refused")
        } else {
            let more = outcome.rejected > refusals.count ? "\n(and \(outcome.rejected - refusals.count) more)" : ""
            outcome.response = IngestResponse(.badRequest, "\(outcome.rejected) samples rejected, \(outcome.appended) written:\n"
                                              + refusals.joined(separator: "\n") + more)
        }
        return outcome
    }

    /// Prometheus' checks before appending: a metric name, non-empty label names, no
    /// duplicate label names (empty values count: the sender meant the label).
    static func isValid(_ labels: [Label]) -> Bool {
        var names = Set<String>()
        var hasName = false
        for label in labels {
            if label.name.isEmpty || !names.insert(label.name).inserted { return false }
            if label.name == Labels.metricName, !label.value.isEmpty { hasName = true }
        }
        return hasName
    }
}
