import HTTPTypes
import NIOCore
import PharosCore
import PromQL
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct APIResponseTests {
    let up = Labels(["__name__": "up", "job": "prometheus", "instance": "localhost:9090"])

    @Test func vector() {
        let result = QueryResult(value: .vector([InstantSample(labels: up, timestamp: 1_435_781_451_781, value: 1)]))
        #expect(String(buffer: APIResponse.query(result)) ==
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"localhost:9090","job":"prometheus"},"value":[1435781451.781,"1"]}]}}"#)
    }

    @Test func emptyVectorAndMatrix() {
        #expect(String(buffer: APIResponse.query(QueryResult(value: .vector([])))) ==
            #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        #expect(String(buffer: APIResponse.query(QueryResult(value: .matrix([])))) ==
            #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#)
    }

    @Test func matrixWithSpecialValues() {
        let series = [
            RangeSeries(labels: Labels(["a": "1"]), samples: [Sample(timestamp: 1000, value: 1e6), Sample(timestamp: 1500, value: .nan)]),
            RangeSeries(labels: Labels(["a": "2"]), samples: [Sample(timestamp: 2000, value: -.infinity), Sample(timestamp: 2001, value: 1e-9)]),
        ]
        #expect(String(buffer: APIResponse.query(QueryResult(value: .matrix(series)))) ==
            #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[[1,"1000000"],[1.500,"NaN"]]},{"metric":{"a":"2"},"values":[[2,"-Inf"],[2.001,"1e-09"]]}]}}"#)
    }

    @Test func scalarAndString() {
        #expect(String(buffer: APIResponse.query(QueryResult(value: .scalar(timestamp: 1_000_500, value: 0.25)))) ==
            #"{"status":"success","data":{"resultType":"scalar","result":[1000.500,"0.25"]}}"#)
        #expect(String(buffer: APIResponse.query(QueryResult(value: .string(timestamp: 5, value: "a\"<b>")))) ==
            #"{"status":"success","data":{"resultType":"string","result":[0.005,"a\"\u003cb\u003e"]}}"#)
    }

    @Test func warningsAndInfos() {
        var annotations = Annotations()
        annotations.warn("PromQL warning: encountered a mix")
        annotations.info("PromQL info: metric might not be a counter")
        #expect(String(buffer: APIResponse.query(QueryResult(value: .vector([]), annotations: annotations))) ==
            #"{"status":"success","data":{"resultType":"vector","result":[]},"warnings":["PromQL warning: encountered a mix"],"infos":["PromQL info: metric might not be a counter"]}"#)
        var onlyInfo = Annotations()
        onlyInfo.info("i")
        #expect(String(buffer: APIResponse.strings(["x"], annotations: onlyInfo)) == #"{"status":"success","data":["x"],"infos":["i"]}"#)
    }

    @Test func seriesAndStrings() {
        #expect(String(buffer: APIResponse.series([up, Labels(["b": "c"])])) ==
            #"{"status":"success","data":[{"__name__":"up","instance":"localhost:9090","job":"prometheus"},{"b":"c"}]}"#)
        #expect(String(buffer: APIResponse.strings([])) == #"{"status":"success","data":[]}"#)
    }

    @Test(arguments: [
        (APIError.Kind.badData, 400, "bad_data"), (.execution, 422, "execution"), (.timeout, 503, "timeout"),
        (.canceled, 503, "canceled"), (.internal, 500, "internal"), (.notFound, 404, "not_found"), (.unavailable, 503, "unavailable"),
    ])
    func errorKinds(_ kind: APIError.Kind, _ status: Int, _ type: String) {
        let error = APIError(kind, "boom \"x\"")
        #expect(error.status.code == status)
        #expect(String(buffer: error.body()) == #"{"status":"error","errorType":""# + type + #"","error":"boom \"x\""}"#)
    }

    @Test func queryErrorMapping() {
        #expect(APIError(QueryError(.badData, "m")).kind == .badData)
        #expect(APIError(QueryError(.execution, "m")).kind == .execution)
        #expect(APIError(QueryError(.timeout, "m")).kind == .timeout)
        #expect(APIError(QueryError(.canceled, "m")).kind == .canceled)
        #expect(APIError(QueryError(.internal, "m")).kind == .internal)
        #expect(QueryError(.execution, "m").status == .unprocessableContent)
        #expect(APIError.invalidParameter("time", "why").description == #"parameter "time": bad_data: invalid parameter "time": why"#)
    }

    @Test func statusBodies() {
        var status = StatusInfo()
        status.flags = ["web.listen-address": "127.0.0.1:9090", "config.file": "p.yml"]
        status.configYAML = { "global:\n  scrape_interval: 15s\n" }
        status.runtime = {
            var runtime = StatusInfo.Runtime()
            runtime.startTime = 1_435_781_451_781
            runtime.lastConfigTime = 1_435_781_451_000
            runtime.cwd = "/srv"
            runtime.gomaxprocs = 2
            runtime.storageRetention = "15d"
            return runtime
        }
        #expect(String(buffer: status.flagsBody()) ==
            #"{"status":"success","data":{"config.file":"p.yml","web.listen-address":"127.0.0.1:9090"}}"#)
        #expect(String(buffer: status.configBody()) ==
            #"{"status":"success","data":{"yaml":"global:\n  scrape_interval: 15s\n"}}"#)
        #expect(String(buffer: status.runtimeInfoBody()) ==
            #"{"status":"success","data":{"startTime":"2015-07-01T20:10:51.781Z","CWD":"/srv","reloadConfigSuccess":true,"lastConfigTime":"2015-07-01T20:10:51Z","corruptionCount":0,"goroutineCount":0,"GOMAXPROCS":2,"GOMEMLIMIT":0,"GOGC":"","GODEBUG":"","storageRetention":"15d"}}"#)
        #expect(String(buffer: status.buildInfoBody()).hasPrefix(#"{"status":"success","data":{"version":"0.0.0-dev","revision":"#))
    }

    @Test func healthBody() {
        let results = [
            HealthCheckResult(name: "tsdb", healthy: true, latency: .milliseconds(2)),
            HealthCheckResult(name: "wal", healthy: false, message: "replaying", latency: .microseconds(500)),
        ]
        #expect(String(buffer: HealthBody.json(results)) ==
            #"{"status":"fail","checks":{"tsdb":{"status":"pass","latency_seconds":0.002},"wal":{"status":"fail","latency_seconds":0.0005,"message":"replaying"}}}"#)
    }
}
