import Testing
@testable import Templating

@Test func smoke() async throws {
    var set = TemplateSet()
    try set.parse("hello {{ .name }}", name: "t")
    #expect(try await set.execute("t", data: .stringMap(["name": "world"])) == "hello world")
}
