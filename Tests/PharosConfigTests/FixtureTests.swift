import Foundation
import PharosConfig
import Testing

/// Fixtures live in `Fixtures/`: `*-good.yml` must load; each `*-bad.yml` has a `*-bad.error`
/// beside it with the exact one-line error (a trailing `PREFIX` means "starts with").
enum Fixtures {
    static var directory: String { Bundle.module.resourcePath! + "/Fixtures" }

    static func names(suffix: String) -> [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return all.filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    /// Parses a fixture under its bare name so messages do not depend on the bundle path.
    static func parse(_ name: String) throws(ConfigError) -> PharosConfig {
        let text: String
        do { text = try Fixtures.text(name) } catch { throw ConfigError(.io, file: name, message: "\(error)") }
        return try parseConfig(text, filename: name)
    }
}

@Test func fixturesArePresent() {
    #expect(Fixtures.names(suffix: "-good.yml").count >= 4)
    #expect(Fixtures.names(suffix: "-bad.yml").count >= 30)
}

@Test(arguments: Fixtures.names(suffix: "-good.yml"))
func goodFixtureLoads(_ name: String) {
    #expect(throws: Never.self) { _ = try Fixtures.parse(name) }
}

@Test(arguments: Fixtures.names(suffix: "-bad.yml"))
func badFixtureFailsWithExpectedMessage(_ name: String) throws {
    let expected = try Fixtures.text(name.replacingOccurrences(of: ".yml", with: ".error"))
        .trimmingCharacters(in: .newlines)
    do {
        _ = try Fixtures.parse(name)
        Issue.record("\(name) loaded but should fail with: \(expected)")
    } catch {
        if expected.hasSuffix("PREFIX") {
            #expect(error.description.hasPrefix(String(expected.dropLast("PREFIX".count))), "\(error.description)")
        } else {
            #expect(error.description == expected)
        }
        #expect(!error.description.contains("\n"))
    }
}

/// Every prefix of a real config either loads or fails with a positioned one-line error.
@Test func truncatedConfigNeverCrashes() throws {
    let text = Array(try Fixtures.text("full-good.yml").utf8)
    var failures = 0
    for end in stride(from: 0, to: text.count, by: 17) {
        let prefix = String(decoding: text[..<end], as: UTF8.self)
        do {
            _ = try parseConfig(prefix, filename: "cut.yml")
        } catch {
            failures += 1
            #expect(error.description.hasPrefix("cut.yml"))
            #expect(!error.description.contains("\n"))
        }
    }
    #expect(failures > 0)
}

/// Single-byte corruption anywhere yields a config or a ConfigError, never a crash.
@Test(arguments: [UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "\t"), 0xFF])
func corruptedConfigNeverCrashes(_ byte: UInt8) throws {
    let text = Array(try Fixtures.text("full-good.yml").utf8)
    var failures = 0
    for index in stride(from: 0, to: text.count, by: 29) {
        var copy = text
        copy[index] = byte
        do {
            _ = try parseConfig(String(decoding: copy, as: UTF8.self), filename: "bad.yml")
        } catch {
            failures += 1
            #expect(!error.description.contains("\n"))
        }
    }
    #expect(failures > 0)
}

