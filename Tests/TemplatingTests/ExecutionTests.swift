import Testing
@testable import Templating

struct ExecutionTests {
    @Test(arguments: [
        ("hello {{ .name }}", "hello world"),
        ("{{.nested.inner.x}}", "deep"),
        ("a {{- \" b \" -}} c", "a b c"),
        ("a  \n {{- .name }}", "aworld"),
        ("{{ .name -}} \n  x", "worldx"),
        ("x{{/* comment */}}y", "xy"),
        ("x {{- /* comment */ -}} y", "xy"),
        ("{{ .n }} {{ .f }} {{ .t }}", "3 1.5 true"),
        ("{{ .missing }}", "<no value>"),
        ("{{ .m.missing }}", "<no value>"),
        ("{{ .missing.deeper }}", "<no value>"),
        ("{{ if .t }}yes{{ else }}no{{ end }}", "yes"),
        ("{{ if .empty }}yes{{ else }}no{{ end }}", "no"),
        ("{{ if .empty }}1{{ else if .n }}2{{ else }}3{{ end }}", "2"),
        ("{{ if .empty }}1{{ else if .missing }}2{{ else }}3{{ end }}", "3"),
        ("{{ with .name }}[{{ . }}]{{ end }}", "[world]"),
        ("{{ with .empty }}[{{ . }}]{{ else }}none{{ end }}", "none"),
        ("{{ with .empty }}1{{ else with .name }}{{ . }}{{ end }}", "world"),
        ("{{ range .list }}<{{ . }}>{{ end }}", "<a><b><c>"),
        ("{{ range $i, $e := .list }}{{ $i }}={{ $e }} {{ end }}", "0=a 1=b 2=c "),
        ("{{ range $k, $v := .m }}{{ $k }}:{{ $v }},{{ end }}", "a:1,m:13,z:26,"),
        ("{{ range .m }}{{ . }} {{ end }}", "1 13 26 "),
        ("{{ range .missing }}x{{ else }}empty{{ end }}", "empty"),
        ("{{ range .list }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", "a"),
        ("{{ range .list }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", "ac"),
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        ("{{ $x := 1 }}{{ if .t }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"),
        ("{{ $x := \"outer\" }}{{ with .name }}{{ $x := \"inner\" }}{{ $x }}{{ end }} {{ $x }}", "inner outer"),
        ("{{ range .list }}{{ $.name }}{{ end }}", "worldworldworld"),
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" .name }}", "[world]"),
        ("{{ define \"a\" }}A{{ template \"b\" . }}{{ end }}{{ define \"b\" }}B{{ .n }}{{ end }}{{ template \"a\" . }}", "AB3"),
        ("{{ block \"blk\" .name }}<{{ . }}>{{ end }}", "<world>"),
        ("{{ template \"x\" }}{{ define \"x\" }}{{ . }}{{ end }}", "<no value>"),
        ("{{ .name | printf \"%s!\" }}", "world!"),
        ("{{ \"abc\" | len }}", "3"),
        ("{{ (len .list) }}", "3"),
        ("{{ printf \"%d-%s\" (len .list) .name }}", "3-world"),
        ("{{ `raw\\n` }}", "raw\\n"),
        ("{{ 'a' }}", "97"),
        ("{{ 0x10 }} {{ 1e3 }} {{ 1_000 }} {{ -5 }} {{ .5 }}", "16 1000 1000 -5 0.5"),
        ("{{ and 1 0 }} {{ and 1 2 }} {{ or 0 \"\" }} {{ or 0 3 }} {{ not 0 }}", "0 2  3 true"),
        ("{{ and .t .missing.x }}", "<no value>"),
        ("{{ index .list 1 }} {{ index .m \"z\" }} {{ index .m \"nope\" }}", "b 26 "),
        ("{{ slice .list 1 }} {{ slice \"hello\" 1 3 }}", "[b c] el"),
        ("{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ ne \"a\" \"b\" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 1.0 }} {{ ge \"b\" \"a\" }}",
         "true true true true true true true"),
        ("{{ eq .missing 1 }}", "false"),
        ("{{ html \"<a href='x'>&\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;"),
        ("{{ js \"it's <b>\" }}", "it\\'s \\u003Cb\\u003E"),
        ("{{ urlquery \"a b&c=d/é\" }}", "a+b%26c%3Dd%2F%C3%A9"),
        ("{{ print 1 2 \"a\" \"b\" 3 }}", "1 2ab3"),
        ("{{ println 1 \"a\" }}", "1 a\n"),
        ("{{ print nil }}", "<nil>"),
        ("{{ .list }} {{ .m }}", "[a b c] map[a:1 m:13 z:26]"),
        ("{{ 1000000.0 }} {{ 123456789.0 }} {{ 0.00001 }} {{ 100000.0 }}", "1e+06 1.23456789e+08 1e-05 100000"),
    ] as [(String, String)])
    func renders(_ text: String, _ expected: String) async throws {
        #expect(try await render(text, sampleData) == expected)
    }

    @Test func missingKeyZeroAndError() async throws {
        #expect(try await render("[{{ .m.nope }}]", sampleData, missingKey: .zero) == "[]")
        #expect(await renderError("{{ .m.nope }}", sampleData, missingKey: .error)
            == #"template: t:1:5: executing "t" at <.m.nope>: map has no entry for key "nope""#)
    }

    @Test(arguments: [
        ("{{ .name.x }}", #"template: t:1:8: executing "t" at <.name.x>: can't evaluate field x in type interface {}"#),
        ("{{ .m.a.x }}", #"template: t:1:5: executing "t" at <.m.a.x>: can't evaluate field x in type string"#),
        ("{{ $x = 1 }}", #"template: t:1:8: executing "t" at <1>: undefined variable: $x"#),
        ("{{ eq 1 \"a\" }}", #"template: t:1:3: executing "t" at <eq 1 "a">: error calling eq: incompatible types for comparison"#),
        ("{{ lt .f 1 }}", #"template: t:1:3: executing "t" at <lt .f 1>: error calling lt: incompatible types for comparison"#),
        ("{{ lt true false }}", #"template: t:1:3: executing "t" at <lt true false>: error calling lt: invalid type for comparison"#),
        ("{{ index .list 5 }}", #"template: t:1:3: executing "t" at <index .list 5>: error calling index: index out of range: 5"#),
        ("{{ len 3 }}", #"template: t:1:3: executing "t" at <len 3>: error calling len: len of type int"#),
        ("{{ template \"nope\" }}", #"template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined"#),
        ("{{ range .n }}{{ end }}", ""),
        ("{{ range .f }}{{ end }}", #"template: t:1:9: executing "t" at <.f>: range can't iterate over 1.5"#),
        ("{{ nil }}", #"template: t:1:3: executing "t" at <nil>: nil is not a command"#),
        ("{{ .name 1 }}", #"template: t:1:3: executing "t" at <.name>: name is not a method but has arguments"#),
        ("{{ printf }}", #"template: t:1:3: executing "t" at <printf>: wrong number of args for printf: want at least 1 got 0"#),
        ("{{ printf 1 }}", #"template: t:1:10: executing "t" at <1>: expected string; found 1"#),
        ("{{ printf .n }}", #"template: t:1:10: executing "t" at <.n>: wrong type for value; expected string; got int"#),
        ("line1\n  {{ .name.x }}", #"template: t:2:10: executing "t" at <.name.x>: can't evaluate field x in type interface {}"#),
        ("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}",
         #"template: t:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (1000)"#),
    ] as [(String, String)])
    func executionErrors(_ text: String, _ expected: String) async {
        let message = await renderError(text, sampleData)
        if expected.isEmpty { #expect(message.isEmpty) } else { #expect(message == expected) }
    }

    @Test func callAndFunctions() async throws {
        let double = TemplateFunction("double", arity: 1) { args, _ in
            guard case .int(let i) = args[0] else { throw TemplateError.function("not an int") }
            return .int(i * 2)
        }
        let data: TemplateValue = .map(TemplateMap(["fn": .function(double)]))
        #expect(try await render("{{ call .fn 21 }}", data) == "42")
        #expect(try await render("{{ double 4 | double }}", functions: ["double": double]) == "16")
        #expect(await renderError("{{ call .fn \"x\" }}", data)
            == #"template: t:1:3: executing "t" at <call .fn "x">: error calling call: not an int"#)
    }
}
