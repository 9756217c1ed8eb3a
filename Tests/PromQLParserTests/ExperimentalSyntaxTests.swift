import PharosCore
import Testing
@testable import PromQLParser

/// Duration expressions, `anchored`/`smoothed` and `fill` modifiers (Prometheus' experimental syntax).
@Suite(.timeLimit(.minutes(5))) struct ExperimentalSyntaxTests {
    @Test(arguments: [
        ("foo[5m+1m]", 360_000), ("foo[60*30]", 1_800_000), ("foo[1h/2]", 1_800_000), ("foo[1h30m % 1h]", 1_800_000),
        ("foo[2m*(10+5)]", 1_800_000), ("foo[-(-5m)]", 300_000), ("foo[2^3]", 8000), ("foo[max(1m, 2m)]", 120_000),
        ("foo[min_of(1m, 2m)]", 60_000), ("foo[1s/3]", 333),
    ] as [(String, Int64)])
    func constantRangesFold(input: String, ms: Int64) {
        guard case .matrixSelector(let m)? = parsed(input) else {
            Issue.record("\(input): \(parseErrorText(input) ?? "")")
            return
        }
        #expect(m.range == ms && m.rangeExpr == nil)
    }

    @Test func stepDependentDurationsStayExpressions() throws {
        guard case .matrixSelector(let m)? = parsed("foo[step() * 2]") else { Issue.record("range"); return }
        #expect(m.range == 0 && m.rangeExpr == .binary(.mul, .step, .seconds(2)))
        #expect(m.rangeExpr?.seconds(step: 15, range: 0) == 30)
        guard case .subquery(let s)? = parsed("foo[range() + 1h:step()] offset -step()") else { Issue.record("sq"); return }
        #expect(s.rangeExpr == .binary(.add, .range, .seconds(3600)) && s.stepExpr == .step && s.offsetExpr == .negate(.step))
        // As in Prometheus' lexer, a colon must follow a literal duration somewhere in the range.
        #expect(parseErrorText("foo[range():]") == "1:13: parse error: unexpected colon before duration in duration expression")
        guard case .binary(let b)? = parsed("metric offset min_of(step(), 1s) + 8000") else { Issue.record("offset"); return }
        guard case .vectorSelector(let vs) = b.lhs else { Issue.record("lhs"); return }
        #expect(vs.offsetExpr == .min(.step, .seconds(1)) && b.op == .add)
        #expect(parsed("foo offset (1m * 2)") == .vectorSelector(selector("foo", pos(0, 19), offset: 120_000)))
        #expect(DurationExpr.binary(.div, .seconds(1), .seconds(0)).seconds(step: 0, range: 0) == nil)
        for text in ["foo[step() * 2]", "foo[range() + 1h:step()] offset -step()", "foo offset (step() + 1m)",
                     "foo[max(step(), 1m) + 1m:]"] {
            let printed = try #require(parsed(text)).description
            #expect(parsed(printed)?.description == printed, "\(text) → \(printed)")
        }
    }

    @Test func anchoredAndSmoothed() {
        guard case .call(let c)? = parsed("increase(metric[1m] anchored)"),
              case .matrixSelector(let m) = c.args[0] else { Issue.record("anchored"); return }
        #expect(m.vectorSelector.anchored && !m.vectorSelector.smoothed)
        guard case .vectorSelector(let vs)? = parsed("metric smoothed") else { Issue.record("smoothed"); return }
        #expect(vs.smoothed)
        #expect(parsed("rate(metric[5m] smoothed offset 1m)")?.description == "rate(metric[5m] smoothed offset 1m)")
        #expect(parsed("anchored{job=\"x\"}") != nil && parsed("sum by (smoothed) (x)") != nil)
    }

    @Test func fillModifiers() {
        guard case .binary(let b)? = parsed("a + on(job) group_left fill_left(5) fill_right(-Inf) b") else {
            Issue.record("fill")
            return
        }
        #expect(b.matching?.fillLeft == 5 && b.matching?.fillRight == -.infinity && b.matching?.cardinality == .manyToOne)
        guard case .binary(let both)? = parsed("a == bool fill(30) b") else { Issue.record("fill both"); return }
        #expect(both.matching?.fillLeft == 30 && both.matching?.fillRight == 30 && both.returnBool)
        #expect(parsed("a + fill(0) b")?.description == "a + fill (0) b")
        // `fill` is a keyword only before "(": elsewhere it is a metric name.
        guard case .binary(let names)? = parsed("fill + fill(0) other") else { Issue.record("names"); return }
        #expect(names.lhs == .vectorSelector(selector("fill", pos(0, 4))))
    }
}
