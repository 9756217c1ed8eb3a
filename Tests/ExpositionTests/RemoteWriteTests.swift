import Exposition
import PharosCore
import PharosTestSupport
import Snappy
import Testing

@Suite(.timeLimit(.minutes(5))) struct RemoteWriteTests {
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    /// `{__name__="up", job="x"}` with one sample (1.0 at 1000 ms), assembled by hand from prompb.
    static let upBytes = hex("""
        0a28 0a0e 0a08 5f5f6e616d655f5f 1202 7570  0a08 0a03 6a6f62 1201 78
        120c 09 000000000000f03f 10 e807
        """)
    static let upRequest = WriteRequest(timeseries: [
        RemoteTimeSeries(labels: [Label(name: "__name__", value: "up"), Label(name: "job", value: "x")],
                         samples: [Sample(timestamp: 1000, value: 1)]),
    ])

    @Test func encodesExactBytes() {
        #expect(RemoteWriteEncoder.encode(Self.upRequest) == Self.upBytes)
    }

    @Test func decodesKnownBytes() throws {
        let request = try RemoteWriteDecoder.decode(Self.upBytes)
        #expect(request == Self.upRequest)
        #expect(request.timeseries[0].labelSet == labels(["__name__": "up", "job": "x"]))
    }

    @Test func roundTripWithEverything() throws {
        let request = WriteRequest(
            timeseries: [
                RemoteTimeSeries(labels: [Label(name: "__name__", value: "a"), Label(name: "é", value: "ü\n")],
                                 samples: [Sample(timestamp: -5, value: .nan), Sample(timestamp: 0, value: 0),
                                           Sample(timestamp: .max, value: -.infinity), Sample(timestamp: .min, value: StaleNaN.value)],
                                 exemplars: [RemoteExemplar(labels: [Label(name: "trace_id", value: "abc")], value: 0.5, timestamp: 7)]),
                RemoteTimeSeries(labels: []),
            ],
            metadata: MetricType.allCases.map { RemoteMetricMetadata(type: $0, metricFamilyName: "m_\($0)", help: "h", unit: "u") })
        let bytes = RemoteWriteEncoder.encode(request)
        let decoded = try RemoteWriteDecoder.decode(bytes)
        #expect(decoded == request)
        #expect(decoded.timeseries[0].samples[3].value.isStaleMarker)
        #expect(try RemoteWriteDecoder.decode(Snappy.decompress(Snappy.compress(bytes))) == request)
    }

    @Test func snappyBodies() throws {
        let body = RemoteWriteEncoder.encodeSnappyBody(Self.upRequest)
        #expect(try RemoteWriteDecoder.decode(snappyBody: body) == Self.upRequest)
        do {
            _ = try RemoteWriteDecoder.decode(snappyBody: Self.upBytes)
            Issue.record("an uncompressed body must not decode")
        } catch {
            #expect(error.kind == .snappy)
        }
        #expect(RemoteWriteEncoder.headers.contains { $0 == ("Content-Encoding", "snappy") })
    }

    @Test func unknownFieldsAreSkippedAndHistogramsCounted() throws {
        // Request: unknown varint field 15, the series with an unknown fixed32 field 9 and two
        // histograms (field 4), then an unknown length-delimited field 2 and a fixed64 field 6.
        let series = Self.upBytes.dropFirst(2)  // the TimeSeries payload (0x28 bytes)
        var body: [UInt8] = [0x78, 0x96, 0x01]  // field 15 varint 150
        let extra: [UInt8] = [0x4D, 1, 2, 3, 4, 0x22, 0x02, 0x08, 0x01, 0x22, 0x00]
        body += [0x0A, UInt8(series.count + extra.count)] + series + extra
        body += [0x12, 0x03, 0x61, 0x62, 0x63]
        body += [0x31, 0, 0, 0, 0, 0, 0, 0, 0]
        let request = try RemoteWriteDecoder.decode(body)
        #expect(request.timeseries.count == 1)
        #expect(request.timeseries[0].labels == Self.upRequest.timeseries[0].labels)
        #expect(request.timeseries[0].samples == Self.upRequest.timeseries[0].samples)
        #expect(request.timeseries[0].histogramCount == 2)
        #expect(request.histogramCount == 2)
    }

    @Test(arguments: [
        ("0a", "at byte 1: truncated varint"),
        ("0a 05 0a 03", "at byte 1: length 5 runs past the end of the message (2 bytes left)"),
        ("0a 04 12 02 09 00", "at byte 5: timeseries[0].samples[0]: truncated fixed64"),
        ("0a 06 0a 04 0a 02 ff fe", "at byte 6: timeseries[0].labels[0]: label name is not valid UTF-8"),
        ("0a 02 12 00 08 01", "at byte 4: field timeseries[1] has wire type 0; want 2"),
        ("0b", "at byte 0: unsupported wire type 3 for field 1"),
        ("00", "at byte 0: invalid field number 0"),
        ("78 ffffffffffffffffff7f", "at byte 1: varint overflows 64 bits"),
        ("1a 01 08", "at byte 3: metadata[0]: truncated varint"),
        ("0a 03 12 01 11", "at byte 4: timeseries[0].samples[0]: field timestamp has wire type 1; want 0"),
    ])
    func corruptBodiesGiveClearErrors(_ hex: String, _ message: String) {
        do {
            _ = try RemoteWriteDecoder.decode(Self.hex(hex))
            Issue.record("decoded a corrupt body")
        } catch {
            #expect(error.kind == .protobuf)
            #expect(error.description == message)
        }
    }

    @Test func truncationsAndMutationsNeverCrash() {
        let request = WriteRequest(timeseries: (0..<20).map { index in
            RemoteTimeSeries(labels: [Label(name: "__name__", value: "m\(index)"), Label(name: "i", value: "\(index)")],
                             samples: (0..<5).map { Sample(timestamp: Int64($0 * 15_000), value: Double(index * $0)) })
        }, metadata: [RemoteMetricMetadata(type: .counter, metricFamilyName: "m", help: "help", unit: "")])
        let bytes = RemoteWriteEncoder.encode(request)
        for length in 0..<bytes.count {
            do {
                let decoded = try RemoteWriteDecoder.decode(Array(bytes[..<length]))
                #expect(decoded.timeseries.count <= request.timeseries.count)
            } catch {
                #expect(error.offset <= length)
            }
        }
        var rng = SplitMix(seed: 5)
        for _ in 0..<3000 {
            var body = bytes
            for _ in 0..<Int.random(in: 1...3, using: &rng) { body = mutate(body, using: &rng) }
            do {
                _ = try RemoteWriteDecoder.decode(body)
            } catch {
                #expect(error.offset >= 0 && error.offset <= body.count)
            }
        }
    }
}
