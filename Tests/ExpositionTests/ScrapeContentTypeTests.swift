import Exposition
import Testing

/// Prometheus 3's parser choice for scrape responses (`textparse.New`), message for message.
@Suite(.timeLimit(.minutes(5))) struct ScrapeContentTypeTests {
    static let text = ScrapeContentType.Fallback(format: .text004, mediaType: "text/plain")

    @Test(arguments: [
        ("text/plain; version=0.0.4; charset=utf-8", ExpositionFormat.text004),
        ("text/plain;version=1.0.0;escaping=underscores", .text004),
        ("TEXT/Plain", .text004),
        ("application/openmetrics-text; version=1.0.0; charset=utf-8", .openMetrics),
        ("application/openmetrics-text;version=0.0.1", .openMetrics),
        ("application/openmetrics-text;", .openMetrics),
    ])
    func knownTypesPickTheirParser(_ contentType: String, _ format: ExpositionFormat) {
        #expect(ScrapeContentType.choose(contentType: contentType, fallback: nil) == .format(format, warning: nil))
    }

    @Test(arguments: [
        (nil, "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"),
        ("", "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"),
        ("text/html; charset=utf-8", #"received unsupported Content-Type "text/html; charset=utf-8" and no fallback_scrape_protocol specified for target"#),
        ("text", #"received unsupported Content-Type "text" and no fallback_scrape_protocol specified for target"#),
        ("text/", "cannot parse Content-Type \"text/\" and no fallback_scrape_protocol for target\nmime: expected token after slash"),
        ("/plain", "cannot parse Content-Type \"/plain\" and no fallback_scrape_protocol for target\nmime: no media type"),
        ("text plain", "cannot parse Content-Type \"text plain\" and no fallback_scrape_protocol for target\nmime: expected slash after first token"),
        ("text/plain x", "cannot parse Content-Type \"text/plain x\" and no fallback_scrape_protocol for target\nmime: unexpected content after media subtype"),
        ("text/plain; version", "cannot parse Content-Type \"text/plain; version\" and no fallback_scrape_protocol for target\nmime: invalid media parameter"),
        ("text/plain; a=1; a=2", "cannot parse Content-Type \"text/plain; a=1; a=2\" and no fallback_scrape_protocol for target\nmime: duplicate parameter name"),
        ("text/plain; a=\"open", "cannot parse Content-Type \"text/plain; a=\\\"open\" and no fallback_scrape_protocol for target\nmime: invalid media parameter"),
    ] as [(String?, String)])
    func withoutAFallbackTheScrapeFails(_ contentType: String?, _ message: String) {
        #expect(ScrapeContentType.choose(contentType: contentType, fallback: nil) == .failure(message))
    }

    @Test func aFallbackIsUsedWithAWarning() {
        #expect(ScrapeContentType.choose(contentType: nil, fallback: Self.text)
            == .format(.text004, warning: #"non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol "text/plain""#))
        #expect(ScrapeContentType.choose(contentType: "text/html", fallback: Self.text)
            == .format(.text004, warning: #"received unsupported Content-Type "text/html", using fallback_scrape_protocol "text/plain""#))
        let openMetrics = ScrapeContentType.Fallback(format: .openMetrics, mediaType: "application/openmetrics-text")
        #expect(ScrapeContentType.choose(contentType: "x y", fallback: openMetrics)
            == .format(.openMetrics, warning: "could not parse received Content-Type \"x y\", using fallback_scrape_protocol \"application/openmetrics-text\"\nmime: expected slash after first token"))
        // A known type wins over the fallback.
        #expect(ScrapeContentType.choose(contentType: "application/openmetrics-text", fallback: Self.text) == .format(.openMetrics, warning: nil))
    }

    @Test func protobufIsRefusedClearly() {
        let choice = ScrapeContentType.choose(
            contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", fallback: Self.text)
        guard case .failure(let message) = choice else { Issue.record("protobuf must fail: \(choice)"); return }
        #expect(message.contains("protobuf exposition format is not supported"))
    }
}
