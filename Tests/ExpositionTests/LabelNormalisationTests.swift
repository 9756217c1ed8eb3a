import Exposition
import Foundation
import PharosCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct LabelNormalisationTests {
    /// Prometheus 3's rule (Docs/compatibility.md): `le` of a histogram family and `quantile` of
    /// a summary family become OpenMetrics floats when they parse; anything else stays.
    @Test func leAndQuantileAreNormalisedLikePrometheus3() {
        let text = """
        # TYPE h histogram
        h_bucket{le="1"} 1
        h_bucket{le="0.50"} 1
        h_bucket{le="1000000"} 1
        h_bucket{le="+Inf"} 1
        h_bucket{le="junk"} 1
        # TYPE s summary
        s{quantile="0.9",le="1"} 1
        # TYPE g gauge
        g{le="1",quantile="1"} 1

        """
        let (entries, error) = parseAll(text, .text004)
        #expect(error == nil)
        let values = entries.compactMap { entry -> String? in
            guard case let .series(labels, _, _, _) = entry else { return nil }
            return labels.description
        }
        #expect(values == [
            #"h_bucket{le="1.0"}"#, #"h_bucket{le="0.5"}"#, #"h_bucket{le="1e+06"}"#, #"h_bucket{le="+Inf"}"#,
            #"h_bucket{le="junk"}"#, #"s{le="1", quantile="0.9"}"#, #"g{le="1", quantile="1"}"#,
        ])
    }

    @Test(arguments: [(1.0, "1.0"), (0.5, "0.5"), (1e6, "1e+06"), (-3, "-3.0"), (.infinity, "+Inf"), (.nan, "NaN")])
    func openMetricsFloat(_ value: Double, _ expected: String) {
        #expect(GoFloat.openMetrics(value) == expected)
    }
}
