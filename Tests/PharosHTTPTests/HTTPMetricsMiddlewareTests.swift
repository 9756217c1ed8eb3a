import Hummingbird
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct HTTPMetricsMiddlewareTests {
    @Test(arguments: [
        ("/api/v1/query", "/api/v1/query"),
        ("/api/v1/label/{name}/values", "/api/v1/label/:name/values"),
        ("/metrics/job/{job}/{rest}", "/metrics/job/:job/:rest"),
    ])
    func handlerLabelUsesPrometheusSpelling(_ route: String, _ expected: String) {
        #expect(HTTPMetricsMiddleware<BasicRequestContext>.handler(route) == expected)
    }

    @Test func unmatchedPathsShareOneLabel() {
        #expect(HTTPMetricsMiddleware<BasicRequestContext>.handler(nil) == "other")
    }
}
