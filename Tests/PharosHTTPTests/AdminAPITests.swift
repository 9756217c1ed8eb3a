import HTTPTypes
import NIOCore
import PharosCore
import Synchronization
import Testing
@testable import PharosHTTP

/// The TSDB admin handlers and `/api/v1/status/walreplay`, against a recording fake; the
/// wording is Prometheus 2.42's (checked live in IntegrationTests).
@Suite(.timeLimit(.minutes(1))) struct AdminAPITests {
    final class RecordingAdmin: TSDBAdministering {
        enum Call: Equatable {
            case snapshot(skipHead: Bool)
            case delete([LabelMatcher], Timestamp, Timestamp)
            case clean
        }
        let calls = Mutex<[Call]>([])
        let failure: String?
        init(failure: String? = nil) { self.failure = failure }
        var recorded: [Call] { calls.withLock { $0 } }

        struct Failure: Error, CustomStringConvertible { var description: String }

        func snapshot(skipHead: Bool) async throws -> String {
            calls.withLock { $0.append(.snapshot(skipHead: skipHead)) }
            if let failure { throw Failure(description: failure) }
            return "20261207T103916Z-09cecc2dd1e87f5e"
        }

        func deleteSeries(matching matchers: [LabelMatcher], from start: Timestamp, through end: Timestamp) async throws {
            calls.withLock { $0.append(.delete(matchers, start, end)) }
            if let failure { throw Failure(description: failure) }
        }

        func cleanTombstones() async throws {
            calls.withLock { $0.append(.clean) }
            if let failure { throw Failure(description: failure) }
        }
    }

    static func api(_ admin: RecordingAdmin?) -> PrometheusAPI {
        PrometheusAPI(parseSelector: testSelectorParser, admin: admin)
    }

    static func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    @Test func disabledAdminAnswersAsPrometheus() async throws {
        let api = Self.api(nil)
        for call in [{ try await api.snapshot(FormParameters(encoded: "")) }, { try await api.deleteSeries(FormParameters(encoded: "match[]=up")); return ByteBuffer() },
                     { try await api.cleanTombstones(); return ByteBuffer() }] as [@Sendable () async throws -> ByteBuffer] {
            let error = try await #require(throws: APIError.self) { try await call() }
            #expect(error.status == .internalServerError) // Prometheus 2.42: errorUnavailable falls to 500
            #expect(Self.text(error.body()) == #"{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}"#)
        }
    }

    @Test(arguments: [("", false), ("skip_head=true", true), ("skip_head=1", true), ("skip_head=F", false), ("skip_head=", false)])
    func snapshotPassesSkipHeadAndAnswersTheName(form: String, skipHead: Bool) async throws {
        let admin = RecordingAdmin()
        let body = try await Self.api(admin).snapshot(FormParameters(encoded: form))
        #expect(Self.text(body) == #"{"status":"success","data":{"name":"20261207T103916Z-09cecc2dd1e87f5e"}}"#)
        #expect(admin.recorded == [.snapshot(skipHead: skipHead)])
    }

    @Test func snapshotErrors() async throws {
        let admin = RecordingAdmin()
        let bad = try await #require(throws: APIError.self) { try await Self.api(admin).snapshot(FormParameters(encoded: "skip_head=x")) }
        #expect(bad.status == .badRequest)
        #expect(bad.message == #"invalid parameter "skip_head": unable to parse boolean: strconv.ParseBool: parsing "x": invalid syntax"#)
        #expect(admin.recorded.isEmpty)
        let failing = try await #require(throws: APIError.self) {
            try await Self.api(RecordingAdmin(failure: "disk full")).snapshot(FormParameters(encoded: ""))
        }
        #expect(failing.status == .internalServerError && failing.kind == .internal && failing.message == "create snapshot: disk full")
    }

    @Test func deleteSeriesPassesEverySelectorWithTheRange() async throws {
        let admin = RecordingAdmin()
        try await Self.api(admin).deleteSeries(FormParameters(encoded: "match[]=up&match[]=%7Bjob%3D%22a%22%7D&start=1&end=2.5"))
        #expect(admin.recorded == [.delete([.equal("__name__", "up")], 1000, 2500), .delete([.equal("job", "a")], 1000, 2500)])
        let defaults = RecordingAdmin()
        try await Self.api(defaults).deleteSeries(FormParameters(encoded: "match[]=up"))
        #expect(defaults.recorded == [.delete([.equal("__name__", "up")], .min, .max)])
    }

    @Test(arguments: [
        ("", "no match[] parameter provided"),
        ("match[]=up&start=x", #"invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp"#),
        ("match[]=up&end=x", #"invalid parameter "end": Invalid time value for 'end': cannot parse "x" to a valid timestamp"#),
        ("match[]=up&match[]=%7B", #"invalid parameter "match[]": 1:2: parse error: unexpected end of input"#),
        ("match[]=up&x=%zz", #"error parsing form values: invalid URL escape "%zz""#),
    ])
    func deleteSeriesRefusesBadParametersBeforeDeletingAnything(form: String, message: String) async throws {
        let admin = RecordingAdmin()
        var parameters = FormParameters()
        parameters.appendSkippingInvalid(encoded: form)
        let error = try await #require(throws: APIError.self) { try await Self.api(admin).deleteSeries(parameters) }
        #expect(error.kind == .badData && error.status == .badRequest)
        #expect(error.message == message)
        #expect(admin.recorded.isEmpty)
    }

    @Test func storageFailuresAnswerInternal() async throws {
        let api = Self.api(RecordingAdmin(failure: "index unreadable"))
        let delete = try await #require(throws: APIError.self) { try await api.deleteSeries(FormParameters(encoded: "match[]=up")) }
        #expect(delete.kind == .internal && delete.message == "index unreadable")
        let clean = try await #require(throws: APIError.self) { try await api.cleanTombstones() }
        #expect(clean.kind == .internal && clean.status == .internalServerError)
    }

    @Test func walReplayStatusIsPrometheusShape() {
        struct Fixed: WALReplayStatusProviding {
            func walReplayStatus() -> APIWALReplayStatus { APIWALReplayStatus(min: 3, max: 9, current: 5) }
        }
        #expect(Self.text(PrometheusAPI().walReplayStatus()) == #"{"status":"success","data":{"min":0,"max":0,"current":0}}"#)
        var api = PrometheusAPI()
        api.walReplay = Fixed()
        #expect(Self.text(api.walReplayStatus()) == #"{"status":"success","data":{"min":3,"max":9,"current":5}}"#)
    }
}
