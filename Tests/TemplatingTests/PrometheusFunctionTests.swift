import Foundation
import PharosCore
import Testing
@testable import Templating

/// Cases from Prometheus' own `template/template_test.go` (TestTemplateExpansion), text mode.
struct PrometheusFunctionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var input: TemplateValue = .nil
        var output: String = ""
        var error: String? = nil
        var query: [QueryResultSample] = []
        var testDescription: String { text }
    }

    static func floats(_ v: [Double]) -> TemplateValue { .list(v.map { .float($0) }) }
    static func strings(_ v: [String]) -> TemplateValue { .list(v.map { .string($0) }) }
    static func ints(_ v: [Int]) -> TemplateValue { .list(v.map { .int($0) }) }
    static let metricA = QueryResultSample(labels: Labels(["__name__": "metric", "instance": "a"]), value: 11)

    static let cases: [Case] = [
        Case(text: "plain text", output: "plain text"),
        Case(text: "{{ 1 }}", output: "1"),
        Case(text: "{{ \"<b>\" }}", output: "<b>"),
        Case(text: "{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", output: "1 2"),
        Case(text: "{{ query \"1.5\" | first | value }}", output: "1.5",
             query: [QueryResultSample(labels: Labels(), value: 1.5)]),
        Case(text: "{{ query \"metric{instance='a'}\" | first | value }}", output: "11", query: [metricA]),
        Case(text: "{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", output: "a", query: [metricA]),
        Case(text: "{{ query \"metric{__value__='a'}\" | first | strvalue }}", output: "a",
             query: [QueryResultSample(labels: Labels(["__name__": "metric", "__value__": "a"]), value: 11)]),
        Case(text: "{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", output: "", query: [metricA]),
        Case(text: "{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", output: "", query: [metricA]),
        Case(text: "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}",
             output: "a:11: b:21: ",
             query: [QueryResultSample(labels: Labels(["__name__": "metric", "instance": "b"]), value: 21), metricA]),
        Case(text: "{{ \"foo.example.com\" | stripPort }}", output: "foo.example.com"),
        Case(text: "{{ \"foo.example.com:12345\" | stripPort }}", output: "foo.example.com"),
        Case(text: "{{ \"192.0.2.1\" | stripPort }}", output: "192.0.2.1"),
        Case(text: "{{ \"192.0.2.1:12345\" | stripPort }}", output: "192.0.2.1"),
        Case(text: "{{ \"2001:0DB8::1\" | stripPort }}", output: "2001:0DB8::1"),
        Case(text: "{{ \"[2001:0DB8::1]:12345\" | stripPort }}", output: "2001:0DB8::1"),
        Case(text: "{{ \"[2001:0DB8::1]::12345\" | stripPort }}", output: "[2001:0DB8::1]::12345"),
        Case(text: "{{ .Foo }}", output: "<no value>"),
        Case(text: "{{", error: "error parsing template test: template: test:1: unclosed action"),
        Case(text: "{{ query \"missing\" | first }}",
             error: "error executing template test: template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements"),
        Case(text: "{{ (query \"missing\").banana }}",
             error: "error executing template test: template: test:1:10: executing \"test\" at <\"missing\">: can't evaluate field banana in type template.queryResult"),
        Case(text: "{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", output: "xa"),
        Case(text: "{{ range . }}{{ humanize . }}:{{ end }}", input: floats([0, 1, 1234567, 0.12]), output: "0:1:1.235M:120m:"),
        Case(text: "{{ range . }}{{ humanize . }}:{{ end }}", input: strings(["0.0", "1.0", "1234567.0", ".12"]), output: "0:1:1.235M:120m:"),
        Case(text: "{{ humanize \"one\" }}",
             error: "error executing template test: template: test:1:3: executing \"test\" at <humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Case(text: "{{ range . }}{{ humanize . }}:{{ end }}", input: ints([0, -1, 1, 1234567, Int.max]), output: "0:-1:1:1.235M:9.223E:"),
        Case(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: floats([0, 1, 1048576, 0.12]), output: "0:1:1Mi:0.12:"),
        Case(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: strings(["0.0", "1.0", "1048576.0", ".12"]), output: "0:1:1Mi:0.12:"),
        Case(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", input: ints([0, -1, 1, 1234567, Int.max]), output: "0:-1:1:1.177Mi:8Ei:"),
        Case(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
             input: floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99]),
             output: "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:"),
        Case(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", input: strings(["0", "1", "60", "3600", "86400"]),
             output: "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:"),
        Case(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", input: floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345]),
             output: "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:"),
        Case(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", input: ints([0, -1, 1, 1234567]), output: "0s:-1s:1s:14d 6h 56m 7s:"),
        Case(text: "{{ humanizeDuration \"one\" }}",
             error: "error executing template test: template: test:1:3: executing \"test\" at <humanizeDuration \"one\">: error calling humanizeDuration: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Case(text: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}",
             input: floats([.infinity, -.infinity, .nan]), output: "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:"),
        Case(text: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}",
             input: strings(["+Inf", "-Inf", "NaN"]), output: "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:"),
        Case(text: "{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}",
             output: "-22.22%:0%:12.35%:123.5%"),
        Case(text: "{{ range . }}{{ humanizePercentage . }}:{{ end }}", input: ints([0, -1, 1, 1234567, Int.max]),
             output: "0%:-100%:100%:1.235e+08%:9.223e+20%:"),
        Case(text: "{{ \"-0.22222\" | humanizePercentage }}:{{ \"0.0\" | humanizePercentage }}:{{ \"0.1234567\" | humanizePercentage }}:{{ \"1.23456\" | humanizePercentage }}",
             output: "-22.22%:0%:12.35%:123.5%"),
        Case(text: "{{ \"one\" | humanizePercentage }}",
             error: "error executing template test: template: test:1:11: executing \"test\" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Case(text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", input: ints([0, -1, 1, 1234567, 9223372036]),
             output: "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:"),
        Case(text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", input: ints([Int.min, Int.max]),
             error: "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64"),
        Case(text: "{{ 1435065584.128 | humanizeTimestamp }}", output: "2015-06-23 13:19:44.128 +0000 UTC"),
        Case(text: "{{ \"1435065584.128\" | humanizeTimestamp }}", output: "2015-06-23 13:19:44.128 +0000 UTC"),
        Case(text: "{{ (1435065584.128 | toTime).Format \"2006\" }}", output: "2015"),
        Case(text: "{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", output: "2015"),
        Case(text: "{{ \"aa bb CC\" | title }}", output: "Aa Bb CC"),
        Case(text: "{{ \"aa bb CC\" | toUpper }}", output: "AA BB CC"),
        Case(text: "{{ \"aA bB CC\" | toLower }}", output: "aa bb cc"),
        Case(text: "{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", output: "true false"),
        Case(text: "{{ graphLink \"up\" }}", output: "/graph?g0.expr=up&g0.tab=0"),
        Case(text: "{{ tableLink \"up\" }}", output: "/graph?g0.expr=up&g0.tab=1"),
        Case(text: "{{ define \"a\" }}x{{ end }}{{ $name := \"a\"}}{{ tmpl $name . }}", output: "x"),
        Case(text: "{{ pathPrefix }}", output: "/path/prefix"),
        Case(text: "{{ externalURL }}", output: "http://testhost:9090/path/prefix"),
        Case(text: "{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", output: "3720.01"),
        Case(text: "{{ \"foo.example.com\" | stripDomain }}", output: "foo"),
        Case(text: "{{ \"foo.example.com:12345\" | stripDomain }}", output: "foo:12345"),
        Case(text: "{{ \"192.0.2.1\" | stripDomain }}", output: "192.0.2.1"),
        Case(text: "{{ \"192.0.2.1:12345\" | stripDomain }}", output: "192.0.2.1:12345"),
        Case(text: "{{ \"2001:0DB8::1\" | stripDomain }}", output: "2001:0DB8::1"),
        Case(text: "{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", output: "[2001:0DB8::1]:12345"),
        Case(text: "{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", output: "[2001:0DB8::1]::12345"),
        // Beyond the Go table.
        Case(text: "{{ humanize 1234567.0 }} {{ humanizeDuration 3600 }} {{ humanizePercentage 0.1234 }}", output: "1.235M 1h 0m 0s 12.34%"),
        Case(text: "{{ now }}", output: "1.5"),
        Case(text: "{{ 90 | toDuration }}", output: "1m30s"),
        Case(text: "{{ reReplaceAll \"(?P<word>[a-z]+)-(\\\\d+)\" \"${2}_$word$$\" \"abc-12 x\" }}", output: "12_abc$ x"),
        Case(text: "{{ reReplaceAll \"(a)\" \"$1x\" \"a\" }}", output: ""),
    ]

    @Test(arguments: cases)
    func expansion(_ c: Case) async {
        let query = c.query
        let context = PrometheusTemplateContext(query: { _ in query }, externalURL: URL(string: "http://testhost:9090/path/prefix"),
                                                timestamp: 1500)
        do {
            let result = try await PrometheusExpander.expand(c.text, name: "test", data: c.input, context: context)
            #expect(c.error == nil, "expected an error, got \(result)")
            #expect(result == c.output)
        } catch {
            #expect(error.message == c.error)
        }
    }

    struct QueryFailed: Error, CustomStringConvertible {
        var description: String { "query timed out" }
    }

    @Test func querySeam() async throws {
        let seen = QueryLog()
        let context = PrometheusTemplateContext(query: { q in
            await seen.add(q)
            if q == "bad" { throw QueryFailed() }
            return [QueryResultSample(labels: Labels(["__name__": "up", "job": "a"]), value: 1, timestamp: 1000)]
        })
        let text = #"{{ with query "up" }}{{ range . }}{{ .Labels.job }}={{ .Value }}{{ end }}{{ end }}{{ (query "up" | first).Labels.__name__ }}"#
        #expect(try await PrometheusExpander.expand(text, name: "q", data: .nil, context: context) == "a=1up")
        #expect(await seen.queries == ["up", "up"])
        await #expect(throws: TemplateError(.execution,
            #"error executing template q: template: q:1:3: executing "q" at <query "bad">: error calling query: query timed out"#)) {
            _ = try await PrometheusExpander.expand(#"{{ query "bad" }}"#, name: "q", data: .nil, context: context)
        }
        await #expect(throws: TemplateError.self) {
            _ = try await PrometheusExpander.expand(#"{{ query "up" }}"#, name: "q", data: .nil, context: PrometheusTemplateContext())
        }
    }

    actor QueryLog {
        var queries: [String] = []
        func add(_ q: String) { queries.append(q) }
    }

    @Test func alertFieldChecks() {
        #expect(PrometheusExpander.checkAlertField("{{ $labels.job }} at {{ $value | humanize }}", ruleName: "R") == nil)
        #expect(PrometheusExpander.checkAlertField("{{ $labels.job | nope }}", ruleName: "R")?.message
            == #"template: __alert_R:1: function "nope" not defined"#)
        #expect(PrometheusExpander.checkAlertField("{{ if $value }}x", ruleName: "R")?.message == "template: __alert_R:1: unexpected EOF")
        #expect(PrometheusExpander.checkAlertField("{{ $undefined }}", ruleName: "R")?.message
            == #"template: __alert_R:1: undefined variable "$undefined""#)
    }

    @Test func alertFieldExpansion() async {
        let labels = Labels(["alertname": "HighLatency", "instance": "host:9100", "job": "api"])
        let external = Labels(["cluster": "eu1"])
        let context = PrometheusTemplateContext()
        let (text, error) = await PrometheusExpander.expandAlertField(
            "{{ $labels.instance }} of {{ $labels.job }} ({{ $externalLabels.cluster }}) is at {{ $value | humanize }}s; see {{ $externalURL }}{{ $labels.nope }}",
            ruleName: "HighLatency", labels: labels, externalLabels: external, externalURL: "http://prom:9090", value: 0.512, context: context)
        #expect(error == nil)
        #expect(text == "host:9100 of api (eu1) is at 512ms; see http://prom:9090")
        let (bad, badError) = await PrometheusExpander.expandAlertField(
            "{{ index $labels 1 }}", ruleName: "R", labels: labels, externalLabels: external,
            externalURL: "", value: 1, context: context)
        #expect(badError != nil)
        let column = PrometheusExpander.alertDefinitions.utf8.count + 3
        #expect(bad == "<error expanding template: error executing template __alert_R: template: __alert_R:1:\(column): executing \"__alert_R\" at <index $labels 1>: error calling index: value has type int; should be string>")
        let (parse, _) = await PrometheusExpander.expandAlertField(
            "{{ $value | nope }}", ruleName: "R", labels: labels, externalLabels: external, externalURL: "", value: 1, context: context)
        #expect(parse == "<error expanding template: error parsing template __alert_R: template: __alert_R:1: function \"nope\" not defined>")
        let (value, _) = await PrometheusExpander.expandAlertField(
            "{{ $value }} {{ if gt $value 80.0 }}high{{ end }}", ruleName: "R", labels: labels, externalLabels: external,
            externalURL: "", value: 1e6, context: context)
        #expect(value == "1e+06 high")
    }
}
