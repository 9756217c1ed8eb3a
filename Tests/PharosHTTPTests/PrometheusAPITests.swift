import NIOCore
import PharosCore
import PromQL
import Synchronization
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct PrometheusAPITests {
    static let storage = FixedStorage(series: [
        ArraySeries(labels: Labels(["__name__": "up", "job": "a", "instance": "x"]), samples: []),
        ArraySeries(labels: Labels(["__name__": "up", "job": "b", "instance": "y"]), samples: []),
        ArraySeries(labels: Labels(["__name__": "go_goroutines", "job": "a"]), samples: []),
    ])

    func api(_ engine: RecordingEngine? = nil, storage: FixedStorage = Self.storage, timeout: Duration = .seconds(120)) -> PrometheusAPI {
        PrometheusAPI(engine: engine, storage: storage, parseSelector: testSelectorParser, queryTimeout: timeout, now: { 1_700_000_000_000 })
    }

    func form(_ encoded: String) throws -> FormParameters { try FormParameters(encoded: encoded) }

    func expectError(_ kind: APIError.Kind, _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () async throws -> ByteBuffer) async {
        do {
            let buffer = try await body()
            Issue.record("expected \(kind) error, got \(String(buffer: buffer))", sourceLocation: sourceLocation)
        } catch let error as APIError {
            #expect(error.kind == kind, sourceLocation: sourceLocation)
            #expect(error.message == message, sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected APIError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func instantQueryPassesQueryAndTime() async throws {
        let engine = RecordingEngine { QueryResult(value: .scalar(timestamp: 1_500, value: 2)) }
        let body = try await api(engine).query(form("query=1%2B1&time=1.5"))
        #expect(String(buffer: body) == #"{"status":"success","data":{"resultType":"scalar","result":[1.500,"2"]}}"#)
        #expect(engine.recorded == [.instant("1+1", 1_500)])
        _ = try await api(engine).query(form("query=up"))
        #expect(engine.recorded.last == .instant("up", 1_700_000_000_000))
    }

    @Test func instantQueryErrors() async throws {
        let parseError = RecordingEngine { throw QueryError(.badData, "1:1: parse error: no expression found in input") }
        await expectError(.badData, #"invalid parameter "query": 1:1: parse error: no expression found in input"#) {
            try await api(parseError).query(try! form("query="))
        }
        let execution = RecordingEngine { throw QueryError(.execution, "vector cannot contain metrics with the same labelset") }
        await expectError(.execution, "vector cannot contain metrics with the same labelset") {
            try await api(execution).query(try! form("query=x"))
        }
        await expectError(.badData, #"invalid parameter "time": Invalid time value for 'time': cannot parse "yesterday" to a valid timestamp"#) {
            try await api(execution).query(try! form("query=x&time=yesterday"))
        }
        await expectError(.badData, #"invalid parameter "timeout": cannot parse "soon" to a valid duration"#) {
            try await api(execution).query(try! form("query=x&timeout=soon"))
        }
        await expectError(.unavailable, "query engine is not available") {
            try await api(nil).query(try! form("query=x"))
        }
        #expect(execution.recorded.count == 1)
    }

    @Test func queryTimeoutCancelsASlowEngine() async throws {
        // No wall-clock assertion (the machine may be loaded): the engine must see cancellation.
        let cancellations = Mutex(0)
        let slow = RecordingEngine {
            do { try await Task.sleep(for: .seconds(120)) } catch {
                cancellations.withLock { $0 += 1 }
                throw QueryError(.canceled, "canceled")
            }
            return QueryResult(value: .vector([]))
        }
        await expectError(.timeout, "query timed out in query execution") {
            try await api(slow).query(try! form("query=x&timeout=0.05"))
        }
        await expectError(.timeout, "query timed out in query execution") {
            try await api(slow, timeout: .milliseconds(50)).query(try! form("query=x&timeout=10m"))
        }
        #expect(cancellations.withLock { $0 } == 2)
        #expect(slow.recorded.count == 2)
    }

    @Test func rangeQueryValidation() async throws {
        let engine = RecordingEngine { QueryResult(value: .matrix([])) }
        _ = try await api(engine).queryRange(form("query=up&start=100&end=200.5&step=15s"))
        _ = try await api(engine).queryRange(form("query=up&start=2015-07-01T20:10:30.781Z&end=2015-07-01T20:11:00.781Z&step=0.5"))
        #expect(engine.recorded == [.range("up", 100_000, 200_500, 15_000), .range("up", 1_435_781_430_781, 1_435_781_460_781, 500)])
        await expectError(.badData, #"invalid parameter "start": cannot parse "" to a valid timestamp"#) {
            try await api(engine).queryRange(try! form("query=up&end=1&step=1"))
        }
        await expectError(.badData, #"invalid parameter "end": end timestamp must not be before start time"#) {
            try await api(engine).queryRange(try! form("query=up&start=10&end=1&step=1"))
        }
        await expectError(.badData, #"invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer"#) {
            try await api(engine).queryRange(try! form("query=up&start=1&end=10&step=0"))
        }
        await expectError(.badData, #"invalid parameter "step": cannot parse "" to a valid duration"#) {
            try await api(engine).queryRange(try! form("query=up&start=1&end=10"))
        }
        await expectError(.badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)") {
            try await api(engine).queryRange(try! form("query=up&start=0&end=11001&step=1"))
        }
        _ = try await api(engine).queryRange(form("query=up&start=0&end=11000&step=1"))
        #expect(engine.recorded.count == 3)
    }

    @Test func series() async throws {
        let body = try await api().series(form("match[]=up&match[]=%7Bjob%3D%22a%22%7D"))
        #expect(String(buffer: body) ==
            #"{"status":"success","data":[{"__name__":"go_goroutines","job":"a"},{"__name__":"up","instance":"x","job":"a"},{"__name__":"up","instance":"y","job":"b"}]}"#)
        let limited = try await api().series(form("match[]=up&limit=1"))
        #expect(String(buffer: limited) ==
            #"{"status":"success","data":[{"__name__":"up","instance":"x","job":"a"}],"warnings":["results truncated due to limit"]}"#)
        await expectError(.badData, "no match[] parameter provided") { try await api().series(try! form("start=1")) }
        await expectError(.badData, #"invalid parameter "match[]": match[] must contain at least one non-empty matcher"#) {
            try await api().series(try! form("match[]=%7Bjob%3D~%22.*%22%7D"))
        }
        await expectError(.badData, #"invalid parameter "match[]": 1:4: parse error: unexpected end of input"#) {
            try await api().series(try! form("match[]=up%7B"))
        }
    }

    @Test func labelNamesAndValues() async throws {
        #expect(String(buffer: try await api().labelNames(form(""))) == #"{"status":"success","data":["__name__","instance","job"]}"#)
        #expect(String(buffer: try await api().labelNames(form("match[]=go_goroutines"))) == #"{"status":"success","data":["__name__","job"]}"#)
        #expect(String(buffer: try await api().labelValues("job", form(""))) == #"{"status":"success","data":["a","b"]}"#)
        #expect(String(buffer: try await api().labelValues("job", form("match[]=go_goroutines&match[]=up%7Bjob%3D%22b%22%7D"))) ==
            #"{"status":"success","data":["a","b"]}"#)
        #expect(String(buffer: try await api().labelValues("__name__", form("limit=1"))) ==
            #"{"status":"success","data":["go_goroutines"],"warnings":["results truncated due to limit"]}"#)
        #expect(String(buffer: try await api().labelValues("nope", form(""))) == #"{"status":"success","data":[]}"#)
        await expectError(.badData, #"invalid label name: "U__bad_zz""#) { try await api().labelValues("U__bad_zz", try! form("")) }
        await expectError(.badData, #"invalid parameter "limit": limit must be non-negative"#) { try await api().labelNames(try! form("limit=-2")) }
        // Unlike series, label endpoints report selector errors without the parameter prefix.
        await expectError(.badData, "match[] must contain at least one non-empty matcher") {
            try await api().labelNames(try! form("match[]=%7Bjob%3D~%22.*%22%7D"))
        }
        await expectError(.badData, "1:4: parse error: unexpected end of input") {
            try await api().labelValues("job", try! form("match[]=up%7B"))
        }
    }

    /// As Go's `r.Form`: a pair with a bad escape is dropped; only series refuses the form.
    @Test func invalidEscapesOnlyFailSeries() async throws {
        var lenient = FormParameters()
        lenient.appendSkippingInvalid(encoded: "x=%zz&match[]=up&y%2=1")
        #expect(lenient.pairs.map(\.name) == ["match[]"])
        #expect(lenient.parseError?.message == #"error parsing form values: invalid URL escape "%zz""#)
        await expectError(.badData, #"error parsing form values: invalid URL escape "%zz""#) { try await api().series(lenient) }
        #expect(String(buffer: try await api().labelValues("job", lenient)) == #"{"status":"success","data":["a","b"]}"#)
        var clean = FormParameters()
        clean.appendSkippingInvalid(encoded: "match[]=up")
        let strict = try form("match[]=up")
        #expect(clean.parseError == nil && clean == strict)
    }

    @Test func storageFailureIsExecutionError() async throws {
        var broken = Self.storage
        broken.failure = "head is closed"
        await expectError(.execution, "head is closed") { try await api(storage: broken).labelNames(try! form("")) }
    }

    @Test(arguments: [("job", "job"), ("U__a_2e_b", "a.b"), ("U__snake__case", "snake_case"), ("U___2603_", "☃")])
    func labelNameEscaping(_ raw: String, _ expected: String) {
        #expect(PrometheusAPI.unescapeLabelName(raw) == expected)
    }
}
