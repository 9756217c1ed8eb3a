import Exposition
import PharosCore
import Relabel

extension ScrapeRunner {
    /// Parses `body` and appends its samples, then staleness markers for series that
    /// disappeared. An empty body appends only markers (a failed scrape).
    ///
    /// - Returns: the counts so far and the error that stops the scrape (parse error, sample
    ///   or label limit, storage failure); on error the caller rolls the appender back.
    mutating func appendBody(
        _ app: any Appender, _ body: [UInt8], format: ExpositionFormat, at defaultTime: Timestamp
    ) -> (AppendCounts, ScrapeError?) {
        var counts = AppendCounts()
        var parser = ExpositionParser(body, format: format)
        var sampleLimitExceeded = false
        var appended = 0
        let location = "target \(target.url)"
        while true {
            // Fast path: the line the cache predicts, confirmed by one byte comparison.
            var index: Int?
            do throws(ExpositionError) {
                if let predicted = cache.predicted, try parser.nextSeries(ifSeriesIs: cache.key(predicted)) {
                    index = predicted
                } else {
                    guard let entry = try parser.next() else { break }
                    guard entry == .series else {
                        recordMetadata(entry, parser)
                        continue
                    }
                    index = cache.lookup(parser.seriesBytes)
                }
            } catch {
                return (counts, ScrapeError(.parse, location: location, error.description))
            }
            counts.total += 1
            var timestamp = defaultTime
            if options.honorTimestamps, let explicit = parser.timestamp { timestamp = explicit }

            let labels: Labels, ref: SeriesRef
            if let index {
                cache.hit(index)
                labels = cache.labels(index)
                ref = cache.ref(index)
            } else if cache.isDropped(parser.seriesBytes) {
                cache.skipLine()
                continue
            } else {
                guard let mutated = mutateSampleLabels(parser.currentLabels()), !mutated.isEmpty else {
                    cache.addDropped(parser.seriesBytes)
                    continue
                }
                if let error = verifyLabelLimits(mutated) {
                    return (counts, ScrapeError(.labelLimit, location: location, error))
                }
                if !mutated.has(Labels.metricName) {
                    return (counts, ScrapeError(.parse, location: location, "missing metric name (__name__ label)"))
                }
                labels = mutated
                ref = .unknown
            }

            let value = parser.value
            if options.sampleLimit > 0, !value.isStaleMarker, appended >= options.sampleLimit {
                sampleLimitExceeded = true
                if index == nil { cache.skipLine() }
            } else {
                var seriesRef = ref
                do {
                    let newRef = try app.append(ref, labels, at: timestamp, value: value, options: .none)
                    seriesRef = newRef
                    if !value.isStaleMarker { appended += 1 }
                    if let index {
                        if newRef != ref { cache.updateRef(index, newRef) }
                    } else {
                        index = cache.add(parser.seriesBytes, labels: labels, ref: newRef)
                        counts.seriesAdded += 1
                    }
                } catch {
                    if index == nil { cache.skipLine() }
                    switch error.kind {
                    case .outOfOrder: counts.outOfOrder += 1
                    case .duplicateTimestamp: counts.duplicateTimestamp += 1
                    case .outOfBounds, .tooOld: counts.outOfBounds += 1
                    default:
                        return (counts, ScrapeError(.storage, location: location, error.description))
                    }
                }
                // As Prometheus: also when the sample was refused; the exemplar never fails the scrape.
                if parser.hasExemplar { appendExemplar(app, parser, seriesRef, labels, sampleTime: timestamp, &counts) }
            }
            if parser.timestamp == nil || options.trackTimestampsStaleness {
                if let index { cache.trackStaleness(entry: index) } else { cache.trackStaleness(labels) }
            }
            counts.added += 1
        }
        if sampleLimitExceeded {
            return (counts, ScrapeError(.sampleLimit, location: location, "sample limit exceeded"))
        }
        for labels in cache.staleSeries() { appendStale(app, labels, at: defaultTime) }
        cache.finish(flush: !body.isEmpty)
        metadata.endScrape(flush: !body.isEmpty)
        return (counts, nil)
    }

    /// Stages the current line's exemplar for the series; one without a timestamp of its own
    /// takes the sample's. Refusals are counted (out of order) or dropped (unknown series,
    /// labels over the length limit), never an error of the scrape.
    private func appendExemplar(_ app: any Appender, _ parser: ExpositionParser, _ ref: SeriesRef, _ labels: Labels,
                                sampleTime: Timestamp, _ counts: inout AppendCounts) {
        guard let parsed = parser.currentExemplar() else { return }
        let exemplar = Exemplar(labels: parsed.labels, value: parsed.value, timestamp: parsed.timestamp ?? sampleTime,
                                hasTimestamp: parsed.timestamp != nil)
        do {
            _ = try app.appendExemplar(ref, labels, exemplar)
            counts.exemplars += 1
        } catch {
            if error.kind == .outOfOrderExemplar { counts.exemplarsOutOfOrder += 1 }
        }
    }

    /// Prometheus' `mutateSampleLabels`: attach the target labels (with honor_labels, only
    /// where the sample has none; otherwise target wins and the sample's conflicting values
    /// move to `exported_<name>`, shortest names first), then metric_relabel_configs.
    /// - Returns: nil when relabeling drops the sample.
    func mutateSampleLabels(_ sample: Labels) -> Labels? {
        var builder = LabelsBuilder(sample)
        if options.honorLabels {
            for label in target.publicLabels where !sample.has(label.name) { builder.set(label.name, label.value) }
        } else {
            var conflicts: [Label] = []
            for label in target.publicLabels {
                if let existing = sample.value(of: label.name), !existing.isEmpty {
                    conflicts.append(Label(name: label.name, value: existing))
                }
                builder.set(label.name, label.value)
            }
            // Stable sort by name length, as Go's SortStableFunc.
            let ordered = conflicts.enumerated().sorted {
                $0.element.name.utf8.count != $1.element.name.utf8.count
                    ? $0.element.name.utf8.count < $1.element.name.utf8.count : $0.offset < $1.offset
            }
            for (_, conflict) in ordered {
                var name = conflict.name
                while true {
                    name = "exported_" + name
                    if builder.get(name).isEmpty {
                        builder.set(name, conflict.value)
                        break
                    }
                }
            }
        }
        let labels = builder.labels()
        if options.metricRelabelConfigs.isEmpty { return labels }
        return Relabel.process(labels, options.metricRelabelConfigs)
    }

    /// Prometheus' `verifyLabelLimits`; nil when within every limit.
    func verifyLabelLimits(_ labels: Labels) -> String? {
        let metric = goPrecision(labels[Labels.metricName])
        if options.labelLimit > 0, labels.count > options.labelLimit {
            return "label_limit exceeded (metric: \(metric), number of labels: \(labels.count), limit: \(options.labelLimit))"
        }
        for label in labels {
            let nameLength = label.name.utf8.count, valueLength = label.value.utf8.count
            if options.labelNameLengthLimit > 0, nameLength > options.labelNameLengthLimit {
                return "label_name_length_limit exceeded (metric: \(metric), label name: \(goPrecision(label.name)), "
                    + "length: \(nameLength), limit: \(options.labelNameLengthLimit))"
            }
            if options.labelValueLengthLimit > 0, valueLength > options.labelValueLengthLimit {
                return "label_value_length_limit exceeded (metric: \(metric), label name: \(goPrecision(label.name)), "
                    + "value: \(goQuote(goPrecision(label.value))), length: \(valueLength), "
                    + "limit: \(options.labelValueLengthLimit))"
            }
        }
        return nil
    }
}

/// Go's `%.50s`: the first 50 code points.
func goPrecision(_ text: String, _ count: Int = 50) -> String {
    var out = ""
    out.unicodeScalars.append(contentsOf: text.unicodeScalars.prefix(count))
    return out
}
