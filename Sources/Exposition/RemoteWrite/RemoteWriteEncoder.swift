import PharosCore

/// Encodes `WriteRequest` to remote write 1.0 protobuf (before snappy), field order as in
/// prompb so output matches Go's marshaller byte for byte for the fields we model.
///
/// Histograms are not modelled, so `histogramCount` is not encoded. Proto3 defaults (zero
/// value, zero timestamp, empty strings) are omitted, as Go omits them.
package enum RemoteWriteEncoder {
    package static func encode(_ request: WriteRequest) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(request.timeseries.count * 64)
        for series in request.timeseries {
            writeMessage(field: 1, into: &out) { body in
                for label in series.labels { writeLabel(field: 1, label, into: &body) }
                for sample in series.samples {
                    writeMessage(field: 2, into: &body) { inner in
                        if sample.value.bitPattern != 0 { writeDouble(field: 1, sample.value, into: &inner) }
                        if sample.timestamp != 0 { writeVarintField(field: 2, UInt64(bitPattern: sample.timestamp), into: &inner) }
                    }
                }
                for exemplar in series.exemplars {
                    writeMessage(field: 3, into: &body) { inner in
                        for label in exemplar.labels { writeLabel(field: 1, label, into: &inner) }
                        if exemplar.value.bitPattern != 0 { writeDouble(field: 2, exemplar.value, into: &inner) }
                        if exemplar.timestamp != 0 { writeVarintField(field: 3, UInt64(bitPattern: exemplar.timestamp), into: &inner) }
                    }
                }
            }
        }
        for metadata in request.metadata {
            writeMessage(field: 3, into: &out) { body in
                let type = RemoteMetricMetadata.wire(metadata.type)
                if type != 0 { writeVarintField(field: 1, type, into: &body) }
                writeString(field: 2, metadata.metricFamilyName, into: &body)
                writeString(field: 4, metadata.help, into: &body)
                writeString(field: 5, metadata.unit, into: &body)
            }
        }
        return out
    }

    static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    private static func writeKey(field: UInt64, wireType: UInt64, into out: inout [UInt8]) {
        writeVarint(field << 3 | wireType, into: &out)
    }

    private static func writeVarintField(field: UInt64, _ value: UInt64, into out: inout [UInt8]) {
        writeKey(field: field, wireType: 0, into: &out)
        writeVarint(value, into: &out)
    }

    private static func writeDouble(field: UInt64, _ value: Double, into out: inout [UInt8]) {
        writeKey(field: field, wireType: 1, into: &out)
        let bits = value.bitPattern
        for shift in stride(from: UInt64(0), to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    private static func writeString(field: UInt64, _ value: String, into out: inout [UInt8]) {
        guard !value.isEmpty else { return }
        writeKey(field: field, wireType: 2, into: &out)
        writeVarint(UInt64(value.utf8.count), into: &out)
        out.append(contentsOf: value.utf8)
    }

    private static func writeLabel(field: UInt64, _ label: Label, into out: inout [UInt8]) {
        writeMessage(field: field, into: &out) { body in
            writeString(field: 1, label.name, into: &body)
            writeString(field: 2, label.value, into: &body)
        }
    }

    /// Writes a length-delimited sub-message built by `body`.
    private static func writeMessage(field: UInt64, into out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        var inner: [UInt8] = []
        body(&inner)
        writeKey(field: field, wireType: 2, into: &out)
        writeVarint(UInt64(inner.count), into: &out)
        out.append(contentsOf: inner)
    }
}
