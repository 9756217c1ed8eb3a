import PharosCore

/// Writes families as Go's expfmt does for text 0.0.4: `# HELP` (backslash and newline
/// escaped), `# TYPE`, then `name{label="value",…} value` with label values escaped (`\\`,
/// `\"`, `\n`) and values in Go's `%g` shortest form. Not thread-safe; `output` grows.
struct NodeTextWriter {
    private(set) var output: [UInt8] = []

    mutating func reserve(_ count: Int) { output.reserveCapacity(count) }

    mutating func write(_ family: NodeMetrics.Family) {
        append("# HELP ")
        append(family.name)
        output.append(0x20)
        for byte in family.help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            default: output.append(byte)
            }
        }
        append("\n# TYPE ")
        append(family.name)
        output.append(0x20)
        append(family.type.rawValue)
        output.append(0x0A)
        for sample in family.samples {
            append(family.name)
            if !sample.labels.isEmpty {
                output.append(UInt8(ascii: "{"))
                for (index, label) in sample.labels.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    append(label.name)
                    append("=\"")
                    for byte in label.value.utf8 {
                        switch byte {
                        case UInt8(ascii: "\\"): append("\\\\")
                        case UInt8(ascii: "\""): append("\\\"")
                        case UInt8(ascii: "\n"): append("\\n")
                        default: output.append(byte)
                        }
                    }
                    output.append(UInt8(ascii: "\""))
                }
                output.append(UInt8(ascii: "}"))
            }
            output.append(0x20)
            appendValue(sample.value)
            output.append(0x0A)
        }
    }

    private mutating func appendValue(_ value: Double) {
        // Integers below 2^53 (most counters and byte counts under 1e21) print as Go's %g would
        // only when short; leave every case to GoFloat for exactness.
        if value == 0 && value.sign == .plus {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value == 1 {
            output.append(UInt8(ascii: "1"))
            return
        }
        append(GoFloat.format(value))
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { output.append(contentsOf: $0) }
    }
}
