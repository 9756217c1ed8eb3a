import PharosCore

/// Line dispatch and `#` lines: HELP, TYPE, UNIT, comments and the OpenMetrics `# EOF`.
extension ExpositionParser {
    mutating func readEntry() throws(ExpositionError) -> ExpositionEntry? {
        labelSpans.removeAll(keepingCapacity: true)
        labelsPending = false
        exemplarSpans.removeAll(keepingCapacity: true)
        exemplarValue = nil
        exemplarTimestamp = nil
        timestamp = nil
        nameEscaped = false
        while true {
            guard position < bytes.count else {
                if format == .openMetrics { throw error("data does not end with # EOF") }
                return nil
            }
            if format == .openMetrics {
                return bytes[position] == Self.hash ? try readOpenMetricsMeta() : try readSeries()
            }
            skipBlanks()
            guard let byte = peek() else { return nil }
            if byte == Self.newline {
                try finishLine(after: "blank line")
                continue
            }
            return byte == Self.hash ? try readTextComment() : try readSeries()
        }
    }

    /// A metric family name after HELP/TYPE/UNIT: legacy name or quoted UTF-8 name.
    private mutating func readFamilyName(after keyword: String) throws(ExpositionError) {
        if peek() == Self.quote {
            let (range, escaped) = try readQuoted("metric name")
            nameRange = range
            nameEscaped = escaped
            return
        }
        let start = position
        if let byte = peek(), Self.isMetricStart(byte) {
            position += 1
            while let byte = peek(), Self.isMetricChar(byte) { position += 1 }
        }
        guard position > start else {
            throw error("expected a metric name after \(keyword), got \(describe(at: position))")
        }
        nameRange = start..<position
    }

    // MARK: Text 0.0.4

    private mutating func readTextComment() throws(ExpositionError) -> ExpositionEntry {
        position += 1
        if isBlank(peek()) {
            skipBlanks()
            let entry: ExpositionEntry? = matches("HELP") ? .help : matches("TYPE") ? .type : nil
            if let entry, position + 4 < bytes.count, isBlank(bytes[position + 4]) {
                let keyword = entry == .help ? "HELP" : "TYPE"
                position += 4
                skipBlanks()
                try readFamilyName(after: keyword)
                if position < bytes.count && bytes[position] != Self.newline {
                    guard isBlank(peek()) else {
                        throw error("expected whitespace after the metric name in \(keyword), got \(describe(at: position))")
                    }
                    skipBlanks()
                }
                textRange = position..<lineEnd()
                position = textRange.upperBound
                if entry == .help {
                    if containsHighBit(textRange) && !isValidUTF8(textRange) {
                        throw error("invalid UTF-8 in help text", at: textRange.lowerBound)
                    }
                } else {
                    try readTextType()
                    familyName = currentType().name
                    familyType = metricType
                }
                try finishLine(after: keyword)
                return entry
            }
        }
        textRange = position..<lineEnd()
        position = textRange.upperBound
        if containsHighBit(textRange) && !isValidUTF8(textRange) {
            throw error("invalid UTF-8 in comment", at: textRange.lowerBound)
        }
        try finishLine(after: "comment")
        return .comment
    }

    private mutating func readTextType() throws(ExpositionError) {
        var end = textRange.upperBound
        while end > textRange.lowerBound && isBlank(bytes[end - 1]) { end -= 1 }
        let word = String(decoding: bytes[textRange.lowerBound..<end], as: UTF8.self)
        switch word.lowercased() {
        case "counter": metricType = .counter
        case "gauge": metricType = .gauge
        case "histogram": metricType = .histogram
        case "summary": metricType = .summary
        case "untyped": metricType = .unknown
        default:
            throw error("invalid metric type \(goQuote(word)): want counter, gauge, histogram, summary or untyped",
                        at: textRange.lowerBound)
        }
    }

    // MARK: OpenMetrics

    private mutating func readOpenMetricsMeta() throws(ExpositionError) -> ExpositionEntry {
        let keywordAt = position + 2
        guard position + 1 < bytes.count, bytes[position + 1] == Self.space else {
            throw error("expected a space after '#', got \(describe(at: position + 1))", at: position + 1)
        }
        position = keywordAt
        if matches("EOF") {
            position += 3
            if peek() == Self.newline { position += 1 }
            guard position >= bytes.count else { throw error("unexpected data after # EOF") }
            finished = true
            return .eof
        }
        let entry: ExpositionEntry
        let keyword: String
        if matches("HELP ") {
            (entry, keyword) = (.help, "HELP")
        } else if matches("TYPE ") {
            (entry, keyword) = (.type, "TYPE")
        } else if matches("UNIT ") {
            (entry, keyword) = (.unit, "UNIT")
        } else {
            throw error("expected HELP, TYPE, UNIT or EOF after \"# \", got \(describe(at: position))")
        }
        position += 5
        try readFamilyName(after: keyword)
        guard peek() == Self.space else {
            if position >= bytes.count { throw error("data does not end with # EOF") }
            throw error("expected a space and text after the metric name in \(keyword), got \(describe(at: position))")
        }
        position += 1
        textRange = position..<lineEnd()
        position = textRange.upperBound
        switch entry {
        case .help:
            if containsHighBit(textRange) && !isValidUTF8(textRange) {
                throw error("invalid UTF-8 in help text", at: textRange.lowerBound)
            }
        case .type:
            try readOpenMetricsType()
            familyName = currentType().name
            familyType = metricType
        default:
            try checkUnit()
        }
        try finishLine(after: keyword)
        return entry
    }

    private mutating func readOpenMetricsType() throws(ExpositionError) {
        let word = String(decoding: bytes[textRange], as: UTF8.self)
        guard let type = MetricType(rawValue: word) else {
            throw error("invalid metric type \(goQuote(word)): want counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown",
                        at: textRange.lowerBound)
        }
        metricType = type
    }

    /// OpenMetrics: a non-empty unit must be a `_`-separated suffix of the family name.
    private func checkUnit() throws(ExpositionError) {
        guard !textRange.isEmpty else { return }
        let unit = textRange.count
        let name = nameRange
        let fits = name.count > unit
            && bytesEqual(name.upperBound - unit..<name.upperBound, textRange)
            && bytes[name.upperBound - unit - 1] == UInt8(ascii: "_")
        if !fits {
            throw error("unit \(goQuote(String(decoding: bytes[textRange], as: UTF8.self))) is not a suffix of metric \(goQuote(String(decoding: bytes[nameRange], as: UTF8.self)))",
                        at: textRange.lowerBound)
        }
    }
}
