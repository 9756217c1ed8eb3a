import Testing
@testable import Templating

/// HTML mode against Go 1.19's html/template (expected strings are its output).
struct HTMLEscapingTests {
    static let data: TemplateValue = .map(TemplateMap([
        "u": .string("javascript:alert(1)"), "h": .string("http://x/a b?q=1&r=<2>"),
        "t": .string("a+b <c> \"d\" 'e' &"), "n": .int(3),
    ]))

    @Test(arguments: [
        (#"{{ "<b>" }}|{{ "<b>" | safeHtml }}|{{ .Foo }}|<!-- gone -->x"#, "&lt;b&gt;|<b>||x"),
        (#"<a href="{{ .u }}">{{ .t }}</a>"#, ##"<a href="#ZgotmplZ">a&#43;b &lt;c&gt; &#34;d&#34; &#39;e&#39; &amp;</a>"##),
        (#"<a href="{{ .h }}" title="{{ .t }}">"#,
         #"<a href="http://x/a%20b?q=1&amp;r=%3c2%3e" title="a&#43;b &lt;c&gt; &#34;d&#34; &#39;e&#39; &amp;">"#),
        (#"<a href="/p?x={{ .t }}&y={{ .n }}">"#, #"<a href="/p?x=a%2bb%20%3cc%3e%20%22d%22%20%27e%27%20%26&y=3">"#),
        (#"<title>{{ .t }}</title><p class='{{ .t }}'>{{ .n }}</p>"#,
         #"<title>a&#43;b &lt;c&gt; &#34;d&#34; &#39;e&#39; &amp;</title><p class='a&#43;b &lt;c&gt; &#34;d&#34; &#39;e&#39; &amp;'>3</p>"#),
        (#"<td>{{ .t | html }}</td>"#, #"<td>a+b &lt;c&gt; &#34;d&#34; &#39;e&#39; &amp;</td>"#),
        (#"<img src=x alt={{ .t }}>"#, #"<img src=x alt=a&#43;b&#32;&lt;c&gt;&#32;&#34;d&#34;&#32;&#39;e&#39;&#32;&amp;>"#),
    ] as [(String, String)])
    func escapes(_ text: String, _ expected: String) async throws {
        var set = AlertmanagerFunctions.makeSet()
        set.options.html = true
        try set.parse(text, name: "t")
        #expect(try await set.execute("t", data: Self.data) == expected)
    }

    /// email.default.html through HTML mode equals Go's html/template output on the same data
    /// (checked locally); these fragments pin the escaping of values in text and URL contexts.
    @Test func emailBodyEscapesAsAlertmanager() async throws {
        let set = try AlertmanagerTemplateTests.defaultSet()
        var data = AlertmanagerTemplateTests.data
        data.alerts[0].annotations = ["summary": "High <latency> & \"quotes\" + 'x'", "runbook_url": "http://rb/1?a=b&c=d e"]
        data.alerts[0].generatorURL = "http://prom:9090/graph?g0.expr=rate(x%5B5m%5D)+>+1&g0.tab=1"
        data.alerts[1].labels["instance"] = "b:9100<script>"
        let html = try await set.render("{{ template \"email.default.html\" . }}", data: data.templateValue, html: true)
        #expect(!html.contains("<!--"))
        #expect(html.contains("runbook_url = http://rb/1?a=b&amp;c=d e<br"))
        #expect(html.contains("summary = High &lt;latency&gt; &amp; &#34;quotes&#34; &#43; &#39;x&#39;<br"))
        #expect(html.contains(#"<a href="http://prom:9090/graph?g0.expr=rate%28x%5B5m%5D%29&#43;%3e&#43;1&amp;g0.tab=1""#))
        #expect(html.contains("instance = b:9100&lt;script&gt;<br"))
        #expect(html.contains(##"<a href="http://am:9093/#/alerts?receiver=team-X%5C.pager""##))
        #expect(html.hasPrefix("\n\n<!DOCTYPE html"))
    }
}
