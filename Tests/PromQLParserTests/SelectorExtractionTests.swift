import PharosCore
import PromQLParser
import Testing

/// `Expr.selectors`, Prometheus' `parser.ExtractSelectors` (what `query_exemplars` matches with).
@Suite(.timeLimit(.minutes(1)))
struct SelectorExtractionTests {
    static func names(_ query: String) throws -> [[String]] {
        try parseExpr(query).selectors.map { $0.map(\.description) }
    }

    @Test(arguments: [
        ("1 + 1", [[String]]()),
        ("\"text\"", []),
        ("up", [["__name__=\"up\""]]),
        ("{job=~\"a|b\", code!=\"500\"}", [["job=~\"a|b\"", "code!=\"500\""]]),
        ("rate(req_total{job=\"api\"}[5m])", [["job=\"api\"", "__name__=\"req_total\""]]),
        ("histogram_quantile(0.9, sum by (le) (rate(lat_bucket[1m])))", [["__name__=\"lat_bucket\""]]),
        ("a / on(x) group_left b offset 5m", [["__name__=\"a\""], ["__name__=\"b\""]]),
        ("-max_over_time(x[10m:1m] @ 100)", [["__name__=\"x\""]]),
        ("topk(scalar(k), v)", [["__name__=\"k\""], ["__name__=\"v\""]]),
        ("label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\") or absent(nope)", [["__name__=\"up\""], ["__name__=\"nope\""]]),
    ])
    func extractsEverySelectorInOrder(query: String, want: [[String]]) throws {
        let got = try Self.names(query)
        // Matcher order inside one selector is the parser's; compare as sets per selector.
        #expect(got.map(Set.init) == want.map(Set.init), "\(got)")
    }
}
