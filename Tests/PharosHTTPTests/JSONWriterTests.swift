import NIOCore
import PharosCore
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct JSONWriterTests {
    private func written(_ body: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        body(&json)
        return String(buffer: json.buffer)
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("a\"b", #""a\"b""#), ("back\\slash", #""back\\slash""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#), ("<a&b>", #""\u003ca\u0026b\u003e""#),
        ("\u{01}\u{1f}", #""\u0001\u001f""#), ("snow ☃ é", "\"snow ☃ é\""), ("sep\u{2028}\u{2029}", #""sep\u2028\u2029""#),
        ("", #""""#),
    ])
    func stringEscaping(_ input: String, _ expected: String) {
        #expect(written { $0.string(input) } == expected)
    }

    @Test(arguments: [
        (Int64(1_435_781_451_781), "1435781451.781"), (1500, "1.500"), (1005, "1.005"), (1050, "1.050"),
        (1000, "1"), (0, "0"), (-1500, "-1.500"), (-5, "-0.005"), (7, "0.007"),
    ])
    func timestamps(_ milliseconds: Int64, _ expected: String) {
        #expect(JSONWriter.timestampText(milliseconds) == expected)
    }

    @Test func pointAndLabels() {
        let labels = Labels(["__name__": "up", "job": "a\"b"])
        #expect(written { $0.point(1000, 1e6) } == #"[1,"1000000"]"#)
        #expect(written { $0.labels(labels) } == #"{"__name__":"up","job":"a\"b"}"#)
        #expect(written { $0.labels(.empty) } == "{}")
        #expect(written { $0.strings([]) } == "[]")
        #expect(written { $0.strings(["a", "b"]) } == #"["a","b"]"#)
    }
}
