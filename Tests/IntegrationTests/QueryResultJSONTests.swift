import Foundation
import PharosTestSupport
import Testing

/// The comparison helper the peer tests rely on: it must parse every result shape and refuse
/// broken input instead of comparing nothing.
@Suite(.timeLimit(.minutes(10))) struct QueryResultJSONTests {
    typealias Point = QueryResultJSON.Point

    @Test func parsesVectorsMatricesAndScalars() throws {
        let vector = try QueryResultJSON(json: Data(#"""
            {"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a","__name__":"up"},"value":[10.5,"1"]}]}}
            """#.utf8))
        #expect(vector == QueryResultJSON(series: [#"{__name__="up", job="a"}"#: [Point(10.5, 1)]]))
        let matrix = try QueryResultJSON(json: Data(#"[{"metric":{},"values":[[1,"+Inf"],[2,"-2.5"]]}]"#.utf8))
        #expect(matrix == QueryResultJSON(series: ["{}": [Point(1, .infinity), Point(2, -2.5)]]))
        let scalar = try QueryResultJSON(json: Data(#"{"resultType":"scalar","result":[3,"7"]}"#.utf8))
        #expect(scalar == QueryResultJSON(series: ["scalar": [Point(3, 7)]]))
    }

    @Test func comparesWithTolerance() {
        let a = QueryResultJSON(series: ["{}": [Point(1, 100), Point(2, .nan)]])
        #expect(a.difference(from: QueryResultJSON(series: ["{}": [Point(1, 100 + 1e-8), Point(2, .nan)]])) == nil)
        #expect(a.difference(from: QueryResultJSON(series: ["{}": [Point(1, 100.01), Point(2, .nan)]])) != nil)
        #expect(a.difference(from: QueryResultJSON(series: ["{}": [Point(1, 100)]])) != nil)
        #expect(a.difference(from: QueryResultJSON(series: ["{x=\"1\"}": [Point(1, 100), Point(2, .nan)]])) != nil)
    }

    @Test func comparesResultTypeAndOrder() throws {
        let sorted = try QueryResultJSON(json: Data(#"""
            {"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"5"]},{"metric":{"a":"2"},"value":[1,"3"]}]}}
            """#.utf8))
        let reversed = try QueryResultJSON(json: Data(#"""
            {"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"2"},"value":[1,"3"]},{"metric":{"a":"1"},"value":[1,"5"]}]}}
            """#.utf8))
        #expect(sorted.resultType == "vector")
        #expect(sorted.order == [#"{a="1"}"#, #"{a="2"}"#])
        #expect(sorted.difference(from: reversed) == nil)
        #expect(sorted.difference(from: reversed, ordered: true) != nil)
        let tie = try QueryResultJSON(json: Data(#"[{"metric":{"a":"1"},"value":[1,"3"]},{"metric":{"a":"2"},"value":[1,"3"]}]"#.utf8))
        let swapped = try QueryResultJSON(json: Data(#"[{"metric":{"a":"2"},"value":[1,"3"]},{"metric":{"a":"1"},"value":[1,"3"]}]"#.utf8))
        #expect(tie.difference(from: swapped, ordered: true) == nil)
        var matrix = reversed
        matrix.resultType = "matrix"
        #expect(sorted.difference(from: matrix)?.hasPrefix("result types differ") == true)
    }

    @Test(arguments: [
        #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"#,
        #"{"status":"error","errorType":"bad_data","error":"parse error","data":{}}"#,
        #"[{"metric":{},"value":[1,"one"]}]"#,
        #"[{"metric":{},"value":["1","2"]}]"#,
        #"{"data":"nope","status":"success"}"#,
        "",
    ])
    func rejectsBrokenInput(_ text: String) {
        #expect(throws: (any Error).self, "\(text)") { try QueryResultJSON(json: Data(text.utf8)) }
    }
}
