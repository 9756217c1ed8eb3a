import PharosCore

/// What `ExpositionParser.next()` just read.
package enum ExpositionEntry: Sendable, Hashable {
    /// `# HELP name text`: read `currentHelp()`.
    case help
    /// `# TYPE name type`: read `currentType()`.
    case type
    /// `# UNIT name unit` (OpenMetrics only): read `currentUnit()`.
    case unit
    /// Any other `#` line (text 0.0.4 only, including its `# EOF`): read `currentComment()`.
    case comment
    /// A sample line: read `seriesBytes`, `currentLabels()`, `value`, `timestamp`, `currentExemplar()`.
    case series
    /// The OpenMetrics `# EOF` marker; `next()` returns nil afterwards.
    case eof
}

/// An OpenMetrics exemplar attached to a sample (`… # {trace_id="x"} 0.5 1.7e9`).
package struct ExpositionExemplar: Sendable, Hashable {
    package var labels: Labels
    package var value: Double
    /// Milliseconds, when the exemplar carried a timestamp.
    package var timestamp: Timestamp?

    package init(labels: Labels, value: Double, timestamp: Timestamp?) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern && lhs.timestamp == rhs.timestamp
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
        hasher.combine(timestamp)
    }
}

/// Byte ranges of one label inside the parser's input.
struct LabelSpan {
    var name: Range<Int>
    /// The name was a quoted string that contains a backslash.
    var nameEscaped: Bool
    var value: Range<Int>
    /// The value contains a backslash.
    var valueEscaped: Bool
}
