import PharosCLI
import PharosCore
import Testing

@Suite(.timeLimit(.minutes(5))) struct TSDBAnalysisTests {
    @Test(arguments: [
        (Int64(0), "0s"), (7_200_000, "2h0m0s"), (599_903, "9m59.903s"), (1_500, "1.5s"),
        (250, "250ms"), (60_000, "1m0s"), (3_600_001, "1h0m0.001s"), (90_061_010, "25h1m1.01s"), (-1_000, "-1s"),
    ])
    func durationsPrintAsGo(milliseconds: Int64, expected: String) {
        #expect(TSDBAnalysis.goDuration(milliseconds: milliseconds) == expected)
    }

    /// Two full-range `up` series of job api, and four half-range series of job db.
    static func fixture() -> [TSDBAnalysis.SeriesSummary] {
        func series(_ name: String, _ instance: String, _ job: String, _ minTime: Timestamp, _ maxTime: Timestamp) -> TSDBAnalysis.SeriesSummary {
            TSDBAnalysis.SeriesSummary(labels: Labels(["__name__": name, "instance": instance, "job": job]),
                                       minTime: minTime, maxTime: maxTime)
        }
        return [
            series("up", "a", "api", 0, 7_199_999), series("up", "b", "api", 0, 7_199_999),
            series("up", "c", "db", 0, 3_599_999), series("up", "d", "db", 3_600_000, 7_199_999),
            series("errors_total", "c", "db", 0, 3_599_999), series("errors_total", "d", "db", 3_600_000, 7_199_999),
        ]
    }

    static let expectedReport = """
        Block ID: 01TEST
        Duration: 2h0m0s
        Total Series: 6
        Label names: 3
        Postings (unique label pairs): 8
        Postings entries (total label pairs): 18

        Label pairs most involved in churning:
        2 job=db
        1 __name__=errors_total
        1 __name__=up

        Label names most involved in churning:
        2 __name__
        2 instance
        2 job

        Most common label pairs:
        4 __name__=up
        4 job=db
        2 __name__=errors_total

        Label names with highest cumulative label value length:
        14 __name__
        5 job
        4 instance

        Highest cardinality labels:
        4 instance
        2 __name__
        2 job

        Highest cardinality metric names:
        4 up
        2 errors_total

        """

    @Test func reportMatchesPromtoolsLayout() {
        let analysis = TSDBAnalysis(blockID: "01TEST", minTime: 0, maxTime: 7_200_000, totalSeries: 6,
                                    series: Self.fixture(), limit: 3)
        #expect(analysis.report == Self.expectedReport)
    }

    @Test func limitCutsEveryRanking() {
        let analysis = TSDBAnalysis(blockID: "x", minTime: 0, maxTime: 7_200_000, totalSeries: 6, series: Self.fixture(), limit: 1)
        #expect(analysis.commonLabelPairs == [TSDBAnalysis.Entry(4, "__name__=up")])
        #expect(analysis.cardinalityMetricNames == [TSDBAnalysis.Entry(4, "up")])
        let none = TSDBAnalysis(blockID: "x", minTime: 0, maxTime: 7_200_000, totalSeries: 6, series: Self.fixture(), limit: 0)
        #expect(none.churningLabelPairs.isEmpty && none.cardinalityLabels.isEmpty)
        #expect(none.uniqueLabelPairs == 8)
    }

    @Test func emptyRangeHasNoChurn() {
        let analysis = TSDBAnalysis(blockID: "x", minTime: 5, maxTime: 5, totalSeries: 6, series: Self.fixture(), limit: 20)
        #expect(analysis.churningLabelPairs.allSatisfy { $0.value == 0 })
        #expect(analysis.report.contains("Duration: 0s\n"))
    }
}

@Suite(.timeLimit(.minutes(5))) struct CompactionAnalysisTests {
    @Test func histogramHasPromtoolsBucketsAndBars() {
        let bars = { (n: Int) in String(repeating: "#", count: n) }
        #expect(CompactionAnalysis.histogram("x", [12, 5, 30, 12], total: 4) == """
            x (min/avg/max): 5/14/30
            [ 1, 10]: 1 \(bars(25))
            [11, 20]: 2 \(bars(50))
            [21, 30]: 0 \("")
            [31, 40]: 1 \(bars(25))
            [41, 50]: 0 \("")


            """)
        #expect(CompactionAnalysis.histogram("x", [], total: 0) == "")
    }

    @Test func chunkHeaderGivesTheSampleCount() {
        var analysis = CompactionAnalysis()
        analysis.add(chunkBytes: [0, 120, 1, 2, 3])
        analysis.add(chunkBytes: [1, 0])
        analysis.add(chunkBytes: [7])   // truncated header
        #expect(analysis.samplesPerChunk == [120, 256, 0])
        #expect(analysis.bytesPerChunk == [5, 2, 1])
        #expect(analysis.report.hasPrefix("\nCompaction analysis:\n\nsamples per float chunk (min/avg/max): 0/125/256\n"))
    }
}
