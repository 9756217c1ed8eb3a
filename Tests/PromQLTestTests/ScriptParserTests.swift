import PharosCore
import PromQL
import PromQLTest
import Testing

@Suite(.timeLimit(.minutes(5))) struct ScriptParserTests {
    static let script = """
    # comment
    load 5m
        http_requests{job="api"} 0+10x10
        other 1 _ stale

    eval instant at 50m sum(http_requests)
        expect warn msg: PromQL warning: something (1:1)
        expect no_info
        {} 100

    clear
    eval range from 0 to 10m step 5m other
      other 1 _ _

    eval instant at 1m 1 + 1
      2
    eval instant at 0 "a"
      expect string "a"

    eval_fail instant at 0 foo
    """

    @Test func readsEveryCommand() throws {
        let commands = try ScriptParser.parse(Self.script)
        #expect(commands.count == 7)
        guard case .load(let load) = commands[0] else { Issue.record("expected load"); return }
        #expect(load.interval == 300_000)
        #expect(load.series.count == 2)
        guard case .eval(let first) = commands[1] else { Issue.record("expected eval"); return }
        #expect(first.query == "sum(http_requests)")
        #expect(first.kind == .instant(at: 3_000_000))
        #expect(first.warnings == [.message("PromQL warning: something (1:1)")])
        #expect(first.infos == [])
        #expect(first.series.count == 1)
        guard case .clear = commands[2] else { Issue.record("expected clear"); return }
        guard case .eval(let range) = commands[3] else { Issue.record("expected eval"); return }
        #expect(range.kind == .range(start: 0, end: 600_000, step: 300_000))
        guard case .eval(let scalar) = commands[4] else { Issue.record("expected eval"); return }
        #expect(scalar.expectedScalar == 2)
        guard case .eval(let string) = commands[5] else { Issue.record("expected eval"); return }
        #expect(string.expectedString == "a")
        guard case .eval(let failing) = commands[6] else { Issue.record("expected eval"); return }
        #expect(failing.expectFail)
    }

    @Test func scalarLineEndsTheBlock() throws {
        let commands = try ScriptParser.parse("eval instant at 0 1\n  1\neval instant at 0 2\n  2\n")
        #expect(commands.count == 2)
    }

    @Test(arguments: [
        "frobnicate 5m",                                  // unknown command
        "load\n  m 1",                                    // missing interval
        "load 5x\n  m 1",                                 // bad duration
        "load 5m\n  m{a=\"1 2",                           // broken series
        "eval instant at\n",                              // truncated header
        "eval range from 10m to 0 step 1m m",             // end before start
        "eval range from 0 to 1m m",                      // missing step
        "eval sideways at 0 m",                           // unknown mode
        "eval instant at 0 m\n  expect bogus",            // unknown expect
        "eval instant at 0 m\n  expect string nope",      // unquoted string
        "eval instant at 0 m\n  expect fail sometimes: x", // unknown fail form
    ])
    func rejectsBrokenScripts(text: String) {
        #expect(throws: PromQLTestError.self) { try ScriptParser.parse(text) }
    }

    /// Every prefix of a script parses to a prefix of the full script's commands (the last
    /// one possibly cut short) or fails with a positioned error.
    @Test func truncatedAtEveryOffsetNeverCrashes() throws {
        let bytes = Array(Self.script.utf8)
        let full = try ScriptParser.parse(Self.script)
        for end in 0...bytes.count {
            do {
                let commands = try ScriptParser.parse(String(decoding: bytes[..<end], as: UTF8.self))
                #expect(commands.count <= full.count)
                #expect(Array(commands.dropLast()) == Array(full.prefix(max(0, commands.count - 1))))
            } catch {
                #expect(error.description.contains("script:"), "offset \(end): \(error)")
            }
        }
    }
}
