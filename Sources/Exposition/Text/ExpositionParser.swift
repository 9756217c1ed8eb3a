import PharosCore

/// A pull parser for Prometheus text 0.0.4 and OpenMetrics 1.0 text.
///
/// Call `next()` until it returns nil; after each entry, read the accessors that belong to
/// it (see `ExpositionEntry`). Work happens on bytes: strings are only created by the
/// accessors that return them, so a scrape loop that caches series by `seriesBytes` pays for
/// label strings only on a cache miss.
///
/// Errors carry the byte offset, 1-based line and byte column. After an error, `next()` throws
/// the same error again; the parser never crashes or loops on any input, and each call does
/// work linear in the length of the line it reads.
///
/// Not thread-safe (a value type; use one per body).
package struct ExpositionParser {
    package let format: ExpositionFormat
    let bytes: [UInt8]
    var position = 0
    var lineNumber = 1
    var lineStart = 0
    var failure: ExpositionError?
    var finished = false

    // Current entry.
    var entry: ExpositionEntry?
    var nameRange = 0..<0
    var nameEscaped = false
    var textRange = 0..<0
    var metricType = MetricType.unknown
    var seriesRange = 0..<0
    var labelSpans: [LabelSpan] = []
    /// The current series came from `nextSeries(ifSeriesIs:)`: its name and label spans
    /// were not read.
    var labelsPending = false
    /// The value of the current `.series` entry (NaN and ±Inf included).
    package internal(set) var value: Double = 0
    /// The timestamp of the current `.series` entry in milliseconds, when the line had one.
    package internal(set) var timestamp: Timestamp?
    var exemplarSpans: [LabelSpan] = []
    /// Label names of the current set once it has more than 16 (duplicate detection).
    var seenNames: Set<ArraySlice<UInt8>> = []
    var exemplarValue: Double?
    var exemplarTimestamp: Timestamp?
    /// Name and type of the most recent `# TYPE` line; they stay until the next one.
    package internal(set) var familyName: String?
    package internal(set) var familyType = MetricType.unknown

    /// - Parameters:
    ///   - bytes: the whole body; the parser keeps it until it is dropped. Lines may be of any
    ///     length, as in Prometheus: only the scrape's body size and label limits refuse input.
    package init(_ bytes: [UInt8], format: ExpositionFormat) {
        self.bytes = bytes
        self.format = format
        labelSpans.reserveCapacity(16)
    }

    /// A parser for a scrape response, picking the format from its `Content-Type` header.
    package init(_ bytes: [UInt8], contentType: String?) {
        self.init(bytes, format: ExpositionFormat(contentType: contentType))
    }

    /// Reads the next entry; nil at the end of the input (for OpenMetrics, after `.eof`).
    package mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        if let failure { throw failure }
        if finished { return nil }
        do throws(ExpositionError) {
            let result = try readEntry()
            entry = result
            if result == nil { finished = true }
            return result
        } catch {
            failure = error
            entry = nil
            throw error
        }
    }

    // MARK: - Accessors for the current entry

    /// The family name and unescaped text of a `.help` entry.
    package func currentHelp() -> (name: String, text: String) {
        (currentName(), unescape(textRange, quotes: format == .openMetrics))
    }

    /// The family name and type of a `.type` entry; text 0.0.4 `untyped` is `.unknown`.
    package func currentType() -> (name: String, type: MetricType) { (currentName(), metricType) }

    /// The family name and unit of a `.unit` entry.
    package func currentUnit() -> (name: String, unit: String) {
        (currentName(), String(decoding: bytes[textRange], as: UTF8.self))
    }

    /// The text after `#` of a `.comment` entry, leading whitespace removed.
    package func currentComment() -> String { String(decoding: bytes[textRange], as: UTF8.self) }

    /// The raw bytes of a `.series` entry's name and label set, before the value. Equal bytes
    /// mean equal labels, so this is the key for a scrape cache.
    package var seriesBytes: ArraySlice<UInt8> { bytes[seriesRange] }

    /// The metric name of a `.series` entry, or the family name of a help/type/unit entry.
    package func metricName() -> String {
        labelsPending ? withParsedLabels().currentName() : currentName()
    }

    /// The labels of a `.series` entry, `__name__` included; empty values are dropped.
    ///
    /// As in Prometheus 3 (`normalizeFloatsInLabelValues`), `le` under a `# TYPE … histogram`
    /// line and `quantile` under a `# TYPE … summary` line are rewritten to the OpenMetrics
    /// float form when they parse as a float: `le="1"` → `"1.0"`, `1000000` → `"1e+06"`.
    /// Other values (and every label of other families) are stored as written.
    package func currentLabels() -> Labels {
        if labelsPending { return withParsedLabels().currentLabels() }
        var pairs: [Label] = []
        pairs.reserveCapacity(labelSpans.count + 1)
        pairs.append(Label(name: Labels.metricName, value: currentName()))
        let normalised: StaticString? = familyType == .histogram ? "le" : familyType == .summary ? "quantile" : nil
        for span in labelSpans {
            if let normalised, !span.valueEscaped, matches(span.name, normalised),
               let value = FloatParsing.parse(bytes, span.value) {
                pairs.append(Label(name: labelName(span), value: GoFloat.openMetrics(value)))
            } else {
                pairs.append(Label(name: labelName(span), value: unescape(span.value, quotes: true)))
            }
        }
        return Labels(pairs)
    }

    func matches(_ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { buffer in
            for offset in 0..<range.count where bytes[range.lowerBound + offset] != buffer[offset] { return false }
            return true
        }
    }

    /// Whether the current `.series` entry carried an exemplar: a flag test, so a scrape loop can
    /// skip `currentExemplar()` (which builds strings) on the lines without one. Always false
    /// for text 0.0.4, which has no exemplars.
    package var hasExemplar: Bool { exemplarValue != nil }

    /// The exemplar of the current `.series` entry (OpenMetrics only), if it has one, on the
    /// fast path (`nextSeries(ifSeriesIs:)`) too: its labels (empty values dropped, as for
    /// series; values kept as written, escape sequences included, exactly as Prometheus keeps
    /// them), value and, when the line gave one, its timestamp in ms (float seconds truncated
    /// toward zero, as Prometheus). Any series may carry one, as in Prometheus 2.43 and later
    /// (OpenMetrics 1.0 restricted them to `_total` and `_bucket` lines, and Prometheus ≤ 2.42
    /// refused the others); the 128-character limit on its labels is enforced by storage, which
    /// drops the exemplar but keeps the sample, as Prometheus does.
    package func currentExemplar() -> ExpositionExemplar? {
        guard let exemplarValue else { return nil }
        // Values as written, escapes included: Prometheus (2.x and 3.x) does not unescape them.
        let pairs = exemplarSpans.map { Label(name: labelName($0), value: String(decoding: bytes[$0.value], as: UTF8.self)) }
        return ExpositionExemplar(labels: Labels(pairs), value: exemplarValue, timestamp: exemplarTimestamp)
    }

    /// The current byte offset, 1-based line and byte column (where the next entry starts).
    package var location: (offset: Int, line: Int, column: Int) {
        (position, lineNumber, position - lineStart + 1)
    }

    // MARK: - Strings

    private func currentName() -> String {
        nameEscaped ? unescape(nameRange, quotes: true) : String(decoding: bytes[nameRange], as: UTF8.self)
    }

    private func labelName(_ span: LabelSpan) -> String {
        span.nameEscaped ? unescape(span.name, quotes: true) : String(decoding: bytes[span.name], as: UTF8.self)
    }

    /// Resolves `\\`, `\n` and (when `quotes`) `\"`; any other backslash pair stays as written.
    func unescape(_ range: Range<Int>, quotes: Bool) -> String {
        guard bytes[range].contains(UInt8(ascii: "\\")) else { return String(decoding: bytes[range], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") && index + 1 < range.upperBound {
                let next = bytes[index + 1]
                switch next {
                case UInt8(ascii: "\\"): out.append(next); index += 2; continue
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n")); index += 2; continue
                case UInt8(ascii: "\"") where quotes: out.append(next); index += 2; continue
                default: break
                }
            }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
