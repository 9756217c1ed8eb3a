import PharosCore

/// Decodes remote write 1.0 protobuf bodies (already snappy-decompressed).
///
/// Unknown fields are skipped as protobuf requires; native histograms are skipped and counted.
/// Errors name the byte offset and the field path: `at byte 123: timeseries[4].samples[0]:
/// truncated fixed64`.
package enum RemoteWriteDecoder {
    package static func decode(_ bytes: [UInt8]) throws(ExpositionError) -> WriteRequest {
        var reader = ProtobufReader(bytes)
        var request = WriteRequest()
        while !reader.isAtEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                let path = "timeseries[\(request.timeseries.count)]"
                try reader.expect(wireType, .lengthDelimited, field: path, at: fieldStart)
                let range = try reader.readLengthDelimited()
                request.timeseries.append(try within(path) { () throws(ExpositionError) in try decodeTimeSeries(bytes, range) })
            case 3:
                let path = "metadata[\(request.metadata.count)]"
                try reader.expect(wireType, .lengthDelimited, field: path, at: fieldStart)
                let range = try reader.readLengthDelimited()
                request.metadata.append(try within(path) { () throws(ExpositionError) in try decodeMetadata(bytes, range) })
            default:
                try reader.skip(wireType)
            }
        }
        return request
    }

    /// Prefixes errors from `body` with a field path.
    private static func within<T>(_ path: String, _ body: () throws(ExpositionError) -> T) throws(ExpositionError) -> T {
        do {
            return try body()
        } catch {
            var error = error
            error.message = path + (error.message.hasPrefix("[") || error.message.hasPrefix(".") ? "" : ": ") + error.message
            throw error
        }
    }

    private static func decodeTimeSeries(_ bytes: [UInt8], _ range: Range<Int>) throws(ExpositionError) -> RemoteTimeSeries {
        var reader = ProtobufReader(bytes, range: range)
        var series = RemoteTimeSeries(labels: [])
        while !reader.isAtEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                let path = ".labels[\(series.labels.count)]"
                try reader.expect(wireType, .lengthDelimited, field: path, at: fieldStart)
                let inner = try reader.readLengthDelimited()
                series.labels.append(try within(path) { () throws(ExpositionError) in try decodeLabel(bytes, inner) })
            case 2:
                let path = ".samples[\(series.samples.count)]"
                try reader.expect(wireType, .lengthDelimited, field: path, at: fieldStart)
                let inner = try reader.readLengthDelimited()
                series.samples.append(try within(path) { () throws(ExpositionError) in try decodeSample(bytes, inner) })
            case 3:
                let path = ".exemplars[\(series.exemplars.count)]"
                try reader.expect(wireType, .lengthDelimited, field: path, at: fieldStart)
                let inner = try reader.readLengthDelimited()
                series.exemplars.append(try within(path) { () throws(ExpositionError) in try decodeExemplar(bytes, inner) })
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: ".histograms[\(series.histogramCount)]", at: fieldStart)
                _ = try reader.readLengthDelimited()
                series.histogramCount += 1
            default:
                try reader.skip(wireType)
            }
        }
        return series
    }

    private static func decodeLabel(_ bytes: [UInt8], _ range: Range<Int>) throws(ExpositionError) -> Label {
        var reader = ProtobufReader(bytes, range: range)
        var name = "", value = ""
        while !reader.isAtEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "name", at: fieldStart)
                name = try reader.readString("label name")
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "value", at: fieldStart)
                value = try reader.readString("label value")
            default:
                try reader.skip(wireType)
            }
        }
        return Label(name: name, value: value)
    }

    private static func decodeSample(_ bytes: [UInt8], _ range: Range<Int>) throws(ExpositionError) -> Sample {
        var reader = ProtobufReader(bytes, range: range)
        var sample = Sample(timestamp: 0, value: 0)
        while !reader.isAtEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                try reader.expect(wireType, .fixed64, field: "value", at: fieldStart)
                sample.value = try reader.readDouble()
            case 2:
                try reader.expect(wireType, .varint, field: "timestamp", at: fieldStart)
                sample.timestamp = Int64(bitPattern: try reader.readVarint())
            default:
                try reader.skip(wireType)
            }
        }
        return sample
    }

    private static func decodeExemplar(_ bytes: [UInt8], _ range: Range<Int>) throws(ExpositionError) -> RemoteExemplar {
        var reader = ProtobufReader(bytes, range: range)
        var exemplar = RemoteExemplar(labels: [], value: 0, timestamp: 0)
        while !reader.isAtEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                let path = ".labels[\(exemplar.labels.count)]"
                try reader.expect(wireType, .lengthDelimited, field: path, at: fieldStart)
                let inner = try reader.readLengthDelimited()
                exemplar.labels.append(try within(path) { () throws(ExpositionError) in try decodeLabel(bytes, inner) })
            case 2:
                try reader.expect(wireType, .fixed64, field: "value", at: fieldStart)
                exemplar.value = try reader.readDouble()
            case 3:
                try reader.expect(wireType, .varint, field: "timestamp", at: fieldStart)
                exemplar.timestamp = Int64(bitPattern: try reader.readVarint())
            default:
                try reader.skip(wireType)
            }
        }
        return exemplar
    }

    private static func decodeMetadata(_ bytes: [UInt8], _ range: Range<Int>) throws(ExpositionError) -> RemoteMetricMetadata {
        var reader = ProtobufReader(bytes, range: range)
        var metadata = RemoteMetricMetadata(type: .unknown, metricFamilyName: "")
        while !reader.isAtEnd {
            let fieldStart = reader.position
            let (field, wireType) = try reader.readTag()
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "type", at: fieldStart)
                metadata.type = RemoteMetricMetadata.type(wire: try reader.readVarint())
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "metric_family_name", at: fieldStart)
                metadata.metricFamilyName = try reader.readString("metric_family_name")
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "help", at: fieldStart)
                metadata.help = try reader.readString("help")
            case 5:
                try reader.expect(wireType, .lengthDelimited, field: "unit", at: fieldStart)
                metadata.unit = try reader.readString("unit")
            default:
                try reader.skip(wireType)
            }
        }
        return metadata
    }
}
