import PharosCore
import Testing
@testable import Push

@Suite(.timeLimit(.minutes(5))) struct PushBodyTests {
    func parse(_ text: String, contentType: String? = nil) throws(PushError) -> PushBody {
        try PushBody.parse(Array(text.utf8), contentType: contentType)
    }

    @Test func parsesFamiliesWithTypesAndHelp() throws {
        let body = try parse("""
            # TYPE some_metric counter
            some_metric{label="val1"} 42
            # TYPE another_metric gauge
            # HELP another_metric Just an example.
            another_metric 2398.283
            # TYPE rpc summary
            rpc{quantile="0.5"} 1
            rpc_sum 10
            rpc_count 3
            loose 1

            """)
        #expect(body.families.keys.sorted() == ["another_metric", "loose", "rpc", "some_metric"])
        #expect(body.families["some_metric"]?.type == .counter)
        #expect(body.families["another_metric"]?.help == "Just an example.")
        #expect(body.families["rpc"]?.samples.map { $0.labels.metricName } == ["rpc", "rpc_sum", "rpc_count"])
        #expect(body.families["loose"]?.type == .unknown)
        #expect(!body.hasTimestamps)
    }

    @Test func flagsTimestamps() throws {
        #expect(try parse("a 1 1000\n").hasTimestamps)
    }

    @Test(arguments: [
        ("# HELP a x\n# HELP a y\na 1\n", #"text format parsing error in line 2: second HELP line for metric name "a""#),
        ("a 1\n# TYPE a gauge\n", #"text format parsing error in line 2: second TYPE line for metric name "a", or TYPE reported after samples"#),
        ("# TYPE a gauge\n# TYPE a counter\n", #"text format parsing error in line 2: second TYPE line for metric name "a", or TYPE reported after samples"#),
    ])
    func rejectsInconsistentMetadata(text: String, message: String) {
        #expect(throws: PushError(.badRequest, message)) { try parse(text) }
    }

    @Test func rejectsProtobuf() {
        #expect(throws: PushError.self) {
            try parse("", contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited")
        }
        do { _ = try parse("", contentType: "application/vnd.google.protobuf") } catch {
            #expect(error.kind == .unsupportedMediaType)
        }
    }

    @Test func brokenInputIsABadRequestNeverACrash() {
        let text = "# TYPE a gauge\na{b=\"c\",d=\"e\"} 1.5\n"
        for end in 0..<text.utf8.count {
            let prefix = Array(text.utf8.prefix(end))
            do { _ = try PushBody.parse(prefix, contentType: nil) } catch { #expect(error.kind == .badRequest) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 1..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            do { _ = try PushBody.parse(bytes, contentType: "text/plain") } catch { #expect(error.kind == .badRequest) }
        }
        #expect(throws: PushError.self) { try parse("a{b=\"c\" 1\n") }
        #expect(throws: PushError.self) { try parse("a one\n") }
    }
}
