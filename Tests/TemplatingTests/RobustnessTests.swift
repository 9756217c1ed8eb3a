import Foundation
import PharosTestSupport
import Testing
@testable import Templating

/// A broken template gives an error, never a crash or a hang.
struct RobustnessTests {
    @Test func everyPrefixOfDefaultTemplateParsesOrFails() throws {
        let text = try String(contentsOfFile: Conformance.path("alertmanager/templates/default.tmpl"), encoding: .utf8)
        let bytes = Array(text.utf8)
        var failures = 0
        for end in stride(from: 0, to: bytes.count, by: 23) {
            var set = AlertmanagerFunctions.makeSet()
            do {
                try set.parse(String(decoding: bytes[..<end], as: UTF8.self), name: "prefix")
            } catch {
                #expect(error.message.hasPrefix("template: prefix:"))
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test(arguments: ["{{", "{{{{", "}}{{", "{{ ( }}", "{{ ) }}", "{{ | }}", "{{ := }}", "{{ .a. }}",
                      "{{ \"\\q\" }}", "{{ 'ab' }}", "{{ 1e }}", "{{- -}}", "{{/**/", "{{ define }}", "{{ define \"a\" }}",
                      "{{ range $a, $b, $c := . }}{{ end }}", "{{ with }}{{ end }}", "{{ else if }}", "{{ template }}",
                      "{{ block \"x\" }}", "{{ if 1 }}{{ else }}{{ else }}{{ end }}", "{{ continue }}", "{{ range . }}{{ break 1 }}{{ end }}"])
    func brokenTemplatesThrow(_ text: String) {
        var set = TemplateSet()
        #expect(throws: TemplateError.self) { try set.parse(text, name: "t") }
    }

    @Test func hugeRangeAndWidthsAreBounded() async throws {
        #expect(try await render("{{ range $i := 100000000 }}{{ if eq $i 2 }}{{ break }}{{ end }}{{ $i }}{{ end }}") == "01")
        #expect(GoFormat.sprintf("%1000000000d", [.int(1)]) == "%!(BADWIDTH)1")
        #expect(GoFormat.sprintf("%*d", [.int(10_000_000), .int(1)]) == "%!(BADWIDTH)1")
    }
}
