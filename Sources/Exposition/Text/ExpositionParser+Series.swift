import PharosCore

/// Sample lines: name, label set, value, timestamp and (OpenMetrics) exemplar.
extension ExpositionParser {
    mutating func readSeries() throws(ExpositionError) -> ExpositionEntry {
        let start = position
        var hasName = false
        var hasLabels = false
        if peek() == Self.braceOpen {
            hasLabels = true
            try readLabelSet(exemplar: false, hasName: &hasName)
        } else {
            if let byte = peek(), Self.isMetricStart(byte) {
                position += 1
                while let byte = peek(), Self.isMetricChar(byte) { position += 1 }
            }
            guard position > start else {
                throw error("expected a metric name, '{' or '#' at the start of a line, got \(describe(at: position))")
            }
            nameRange = start..<position
            hasName = true
            let afterName = position
            if format == .text004 { skipBlanks() }
            if peek() == Self.braceOpen {
                hasLabels = true
                try readLabelSet(exemplar: false, hasName: &hasName)
            } else {
                position = afterName
            }
        }
        seriesRange = start..<position
        guard hasName else { throw error("metric name not set in the label set", at: start) }
        for span in labelSpans where span.name.count == 8 && matches(span.name, "__name__") {
            throw error("duplicate label name \"__name__\": the metric name is already set", at: span.name.lowerBound)
        }
        let after = hasLabels ? "the label set" : "the metric name"
        value = try readValue(after: after, sampleValue: true)
        if format == .openMetrics {
            try readOpenMetricsTail()
        } else {
            try readTextTail()
        }
        return .series
    }

    /// Reads the next line as a sample line when its series text (metric name and label set,
    /// as `seriesBytes` returns it) is exactly `series`: the scrape cache's fast path, which
    /// skips label parsing for a series it has seen before.
    ///
    /// Returns false without consuming input when the next line is anything else (a comment,
    /// a blank line, another series, the end); call `next()` then. Returns true after reading
    /// the value, timestamp and exemplar with the same checks as `next()`; the entry is
    /// `.series`. `series` must be the `seriesBytes` of a line that parsed before (in this or
    /// an earlier body), so that its label set is known to be valid.
    package mutating func nextSeries(ifSeriesIs series: [UInt8]) throws(ExpositionError) -> Bool {
        guard failure == nil, !finished, let last = series.last else { return false }
        var start = position
        if format == .text004 {
            while start < bytes.count, bytes[start] == Self.space || bytes[start] == Self.tab { start += 1 }
        }
        let end = start + series.count
        guard end <= bytes.count else { return false }
        let equal = bytes.withUnsafeBytes { body in
            series.withUnsafeBytes { key in Self.equalBytes(body.baseAddress! + start, key.baseAddress!, key.count) }
        }
        guard equal else { return false }
        // A bare name must end where a full parse would end it: not before more name
        // characters, nor (text) before blanks and a label set.
        if last != Self.braceClose {
            guard end < bytes.count, !Self.isMetricChar(bytes[end]) else { return false }
            if format == .text004 {
                var index = end
                while index < bytes.count, bytes[index] == Self.space || bytes[index] == Self.tab { index += 1 }
                if index < bytes.count, bytes[index] == Self.braceOpen { return false }
            }
        }
        labelSpans.removeAll(keepingCapacity: true)
        exemplarSpans.removeAll(keepingCapacity: true)
        exemplarValue = nil
        exemplarTimestamp = nil
        timestamp = nil
        labelsPending = true
        position = end
        seriesRange = start..<end
        do throws(ExpositionError) {
            value = try readValue(after: last == Self.braceClose ? "the label set" : "the metric name", sampleValue: true)
            if format == .openMetrics {
                try readOpenMetricsTail()
            } else {
                try readTextTail()
            }
            entry = .series
            return true
        } catch {
            failure = error
            entry = nil
            throw error
        }
    }

    /// Name and label spans of a series read by `nextSeries(ifSeriesIs:)`, parsed on demand.
    func withParsedLabels() -> ExpositionParser {
        guard labelsPending else { return self }
        var copy = self
        copy.labelsPending = false
        copy.position = seriesRange.lowerBound
        copy.nameEscaped = false
        var hasName = false
        if copy.peek() == Self.braceOpen {
            try? copy.readLabelSet(exemplar: false, hasName: &hasName)
        } else {
            while let byte = copy.peek(), Self.isMetricChar(byte) { copy.position += 1 }
            copy.nameRange = seriesRange.lowerBound..<copy.position
            if format == .text004 { copy.skipBlanks() }
            if copy.peek() == Self.braceOpen { try? copy.readLabelSet(exemplar: false, hasName: &hasName) }
        }
        return copy
    }

    /// Reads `{name="value",…}` at `position` (which holds `{`). A quoted string with no `=`
    /// is the metric name (UTF-8 form), allowed once and not in exemplars.
    private mutating func readLabelSet(exemplar: Bool, hasName: inout Bool) throws(ExpositionError) {
        let tolerant = format == .text004
        position += 1
        while true {
            if tolerant { skipBlanks() }
            guard let byte = peek() else { throw error("expected a label name or '}', got end of input") }
            if byte == Self.braceClose {
                position += 1
                return
            }
            let nameStart = position
            var name: Range<Int>
            var nameEscaped = false
            let quoted = byte == Self.quote
            if quoted {
                (name, nameEscaped) = try readQuoted("label name")
            } else if Self.isLabelStart(byte) {
                position += 1
                while let byte = peek(), Self.isLabelChar(byte) { position += 1 }
                name = nameStart..<position
            } else {
                throw error("expected a label name or '}', got \(describe(at: position))")
            }
            if tolerant { skipBlanks() }
            if quoted && (peek() == Self.comma || peek() == Self.braceClose) {
                if exemplar { throw error("expected '=' after the exemplar label name, got \(describe(at: position))") }
                if hasName { throw error("metric name already set in the label set", at: nameStart) }
                hasName = true
                nameRange = name
                self.nameEscaped = nameEscaped
                if peek() == Self.comma { position += 1 }
                continue
            }
            guard peek() == Self.equals else {
                throw error("expected '=' after label name \(goQuote(String(decoding: bytes[name], as: UTF8.self))), got \(describe(at: position))")
            }
            position += 1
            if tolerant { skipBlanks() }
            guard peek() == Self.quote else {
                throw error("expected a quoted label value after '=', got \(describe(at: position))")
            }
            let (value, valueEscaped) = try readQuoted("label value")
            if isDuplicate(name, exemplar: exemplar) {
                throw error("duplicate label name \(goQuote(String(decoding: bytes[name], as: UTF8.self)))", at: nameStart)
            }
            let span = LabelSpan(name: name, nameEscaped: nameEscaped, value: value, valueEscaped: valueEscaped)
            if exemplar { exemplarSpans.append(span) } else { labelSpans.append(span) }
            if tolerant { skipBlanks() }
            if peek() == Self.comma {
                position += 1
            } else if peek() != Self.braceClose {
                throw error("expected ',' or '}' after a label value, got \(describe(at: position))")
            }
        }
    }

    /// Whether `name` is already in the current label set: a linear scan for the usual small
    /// sets, a hash set beyond 16 labels so hostile lines stay linear.
    private mutating func isDuplicate(_ name: Range<Int>, exemplar: Bool) -> Bool {
        let spans = exemplar ? exemplarSpans : labelSpans
        if spans.count < 16 {
            for existing in spans where bytesEqual(existing.name, name) { return true }
            return false
        }
        if spans.count == 16 {
            seenNames.removeAll(keepingCapacity: true)
            for existing in spans { seenNames.insert(bytes[existing.name]) }
        }
        return !seenNames.insert(bytes[name]).inserted
    }

    /// Reads the separator and a float token: text allows any run of blanks (or none after
    /// `}`), OpenMetrics exactly one space.
    private mutating func readValue(after what: String, sampleValue: Bool) throws(ExpositionError) -> Double {
        if format == .text004 {
            skipBlanks()
        } else {
            guard peek() == Self.space else {
                if position >= bytes.count && sampleValue { throw error("data does not end with # EOF") }
                throw error("expected a space and a value after \(what), got \(describe(at: position))")
            }
            position += 1
        }
        let start = position
        while let byte = peek(), byte != Self.space, byte != Self.newline, byte != Self.tab {
            if format == .text004 && byte == Self.braceOpen { break }
            position += 1
        }
        guard position > start else {
            throw error("expected a value after \(what), got \(describe(at: start))", at: start)
        }
        guard let parsed = FloatParsing.parse(bytes, start..<position) else {
            let first = bytes[start]
            let plausible = (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "+")
                || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || first | 0x20 == UInt8(ascii: "i")
                || first | 0x20 == UInt8(ascii: "n")
            if !plausible { throw error("expected a value after \(what), got \(describe(at: start))", at: start) }
            let token = String(decoding: bytes[start..<position], as: UTF8.self)
            throw error("cannot parse value \(goQuote(token)): want a float such as 1.5, 1e3, NaN or +Inf", at: start)
        }
        return parsed
    }

    private mutating func readTextTail() throws(ExpositionError) {
        skipBlanks()
        guard let byte = peek(), byte != Self.newline else {
            try finishLine(after: "the value")
            return
        }
        let start = position
        while let byte = peek(), !isBlank(byte), byte != Self.newline { position += 1 }
        guard let parsed = FloatParsing.parseInt64(bytes, start..<position, allowSign: false) else {
            throw error("expected a timestamp in milliseconds or end of line after the value, got \(describe(at: start))", at: start)
        }
        timestamp = parsed
        skipBlanks()
        try finishLine(after: "the timestamp")
    }

    private mutating func readOpenMetricsTail() throws(ExpositionError) {
        if try readExemplarIfPresent() { return }
        if peek() == Self.space {
            position += 1
            if peek() == Self.hash {
                throw error("expected an exemplar ('# {' then labels, a value and an optional timestamp), got \(describe(at: position))")
            }
            let start = position
            while let byte = peek(), byte != Self.space, byte != Self.newline { position += 1 }
            timestamp = try openMetricsTimestamp(start..<position)
            if try readExemplarIfPresent() { return }
        }
        if position < bytes.count && bytes[position] != Self.newline {
            throw error("expected a timestamp, an exemplar or end of line after the value, got \(describe(at: position))")
        }
        try finishLine(after: timestamp == nil ? "the value" : "the timestamp")
    }

    /// Reads ` # {labels} value [timestamp]` and the line end when the line continues with it.
    private mutating func readExemplarIfPresent() throws(ExpositionError) -> Bool {
        guard matches(" # {") else { return false }
        position += 3
        var hasName = false
        try readLabelSet(exemplar: true, hasName: &hasName)
        exemplarValue = try readValue(after: "the exemplar labels", sampleValue: false)
        if peek() == Self.space {
            position += 1
            let start = position
            while let byte = peek(), byte != Self.space, byte != Self.newline { position += 1 }
            exemplarTimestamp = try openMetricsTimestamp(start..<position)
        }
        try finishLine(after: "the exemplar")
        return true
    }

    /// OpenMetrics timestamps are float seconds; milliseconds are truncated toward zero like Prometheus.
    private func openMetricsTimestamp(_ range: Range<Int>) throws(ExpositionError) -> Timestamp {
        guard !range.isEmpty else {
            throw error("expected a timestamp after the space, got \(describe(at: range.lowerBound))", at: range.lowerBound)
        }
        guard let seconds = FloatParsing.parse(bytes, range), seconds.isFinite else {
            let token = String(decoding: bytes[range], as: UTF8.self)
            throw error("cannot parse timestamp \(goQuote(token)): want float seconds such as 1700000000.123", at: range.lowerBound)
        }
        let milliseconds = (seconds * 1000).rounded(.towardZero)
        guard milliseconds > -9.2e18 && milliseconds < 9.2e18 else {
            throw error("timestamp \(seconds) is out of range", at: range.lowerBound)
        }
        return Timestamp(milliseconds)
    }
}
