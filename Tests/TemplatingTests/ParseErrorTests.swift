import Testing
@testable import Templating

struct ParseErrorTests {
    @Test(arguments: [
        ("{{ .x ", "template: t:1: unclosed action"),
        ("{{ if .x }}a", "template: t:1: unexpected EOF"),
        ("{{ end }}", "template: t:1: unexpected {{end}}"),
        ("{{ else }}", "template: t:1: unexpected {{else}}"),
        ("{{ foo }}", #"template: t:1: function "foo" not defined"#),
        ("{{ $x }}", #"template: t:1: undefined variable "$x""#),
        ("{{ if }}{{ end }}", "template: t:1: missing value for if"),
        ("{{ .x | 3 }}", "template: t:1: non executable command in pipeline stage 2"),
        ("{{ \"abc }}", "template: t:1: unterminated quoted string"),
        ("{{ `abc }}", "template: t:1: unterminated raw quoted string"),
        ("{{ (1 }}", "template: t:1: unclosed left paren"),
        ("{{ 1) }}", #"template: t:1: unexpected ")" in command"#),
        ("{{ ( 1 ))) }}", #"template: t:1: unexpected ")" in command"#),
        ("{{ 3k }}", #"template: t:1: bad number syntax: "3k""#),
        ("{{ break }}", "template: t:1: {{break}} outside {{range}}"),
        ("{{ /* x */ }}", #"template: t:1: unexpected "/" in command"#),
        ("{{ \u{00A0} }}", "template: t:1: unrecognized character in action: U+00A0"),
        ("{{/* x }}", "template: t:1: unclosed comment"),
        ("a\nb\n{{ .x y }}", #"template: t:3: function "y" not defined"#),
        ("{{ template .x }}", #"template: t:1: unexpected ".x" in template clause"#),
        ("{{ range .x }}{{ else }}{{ else }}{{ end }}", "template: t:1: expected end; found {{else}}"),
        ("{{ $x := 1 }}{{ with .y }}{{ $z := 2 }}{{ end }}{{ $z }}", #"template: t:1: undefined variable "$z""#),
        ("{{ 1.x }}", "template: t:1: bad number syntax: \"1.x\""),
        ("{{ ! }}", #"template: t:1: unexpected "!" in command"#),
    ] as [(String, String)])
    func parseErrors(_ text: String, _ expected: String) async {
        var set = TemplateSet()
        #expect(throws: TemplateError(.parse, expected)) { try set.parse(text, name: "t") }
    }

    @Test func deepNestingIsRefused() {
        var set = TemplateSet()
        let text = String(repeating: "{{ if 1 }}", count: 200) + String(repeating: "{{ end }}", count: 200)
        #expect(throws: TemplateError.self) { try set.parse(text, name: "t") }
        let parens = "{{ " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500) + " }}"
        #expect(throws: TemplateError.self) { try set.parse(parens, name: "t") }
    }
}
