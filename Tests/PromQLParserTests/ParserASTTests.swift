import PharosCore
import Testing
@testable import PromQLParser

/// Exact trees (with byte positions) for the shapes Prometheus' parse tests pin down.
@Suite(.timeLimit(.minutes(5))) struct ParserASTTests {
    @Test func numberLiterals() {
        let cases: [(String, Double)] = [
            ("1", 1), ("+1", 1), ("-1", -1), (".5", 0.5), ("5.", 5), ("-.5", -0.5), ("1e3", 1000),
            ("1E-3", 0.001), ("0x1f", 31), ("0X1F", 31), ("0755", 493), ("1_000", 1000), ("Inf", .infinity),
            ("+inf", .infinity), ("-Inf", -.infinity), ("1h", 3600), ("5m30s", 330),
        ]
        for (text, value) in cases {
            guard case .number(let literal)? = parsed(text) else {
                Issue.record("\(text) did not parse to a number: \(parseErrorText(text) ?? "")")
                continue
            }
            #expect(literal.value == value, "\(text)")
            #expect(literal.position == pos(0, text.utf8.count), "\(text)")
        }
        guard case .number(let nan)? = parsed("NaN") else { Issue.record("NaN"); return }
        #expect(nan.value.isNaN)
    }

    @Test func stringLiterals() {
        #expect(parsed(#""double\tquoted\u00e9""#) == .string(StringLiteral(value: "double\tquotedé", position: pos(0, 22))))
        #expect(parsed("'single \"x\"'") == .string(StringLiteral(value: "single \"x\"", position: pos(0, 12))))
        #expect(parsed("`raw\\n`") == .string(StringLiteral(value: "raw\\n", position: pos(0, 7))))
        #expect(parsed(#""\x41\101\U0001F600""#) == .string(StringLiteral(value: "AA😀", position: pos(0, 20))))
    }

    @Test func vectorSelectors() throws {
        #expect(parsed("foo") == .vectorSelector(selector("foo", pos(0, 3))))
        #expect(parsed("foo:bar") == .vectorSelector(selector("foo:bar", pos(0, 7))))
        #expect(parsed("min") == .vectorSelector(selector("min", pos(0, 3))))
        #expect(parsed("offset") == .vectorSelector(selector("offset", pos(0, 6))))
        let m = try LabelMatcher(.regexMatch, "a", "b.*")
        #expect(parsed(#"foo{a=~"b.*", }"#) == .vectorSelector(selector("foo", pos(0, 15), [m])))
        let braces = try #require(parsed(#"{a!="b", c="d"}"#))
        #expect(braces == .vectorSelector(VectorSelector(
            name: nil, matchers: [try LabelMatcher(.notEqual, "a", "b"), .equal("c", "d")], position: pos(0, 15))))
        let quoted = try #require(parsed(#"{"my.metric", "ü"="x"}"#))
        #expect(quoted == .vectorSelector(VectorSelector(
            name: "my.metric", matchers: [.equal("__name__", "my.metric"), .equal("ü", "x")], position: pos(0, 23))))
        #expect(parsed("foo offset 5m") == .vectorSelector(selector("foo", pos(0, 13), offset: 300_000)))
        #expect(parsed("foo offset -1h") == .vectorSelector(selector("foo", pos(0, 14), offset: -3_600_000)))
        #expect(parsed("foo @ 1.5") == .vectorSelector(selector("foo", pos(0, 9), at: .timestamp(1500))))
        #expect(parsed("foo @ start() offset 1m") == .vectorSelector(selector("foo", pos(0, 23), offset: 60_000, at: .start)))
        #expect(parsed("foo offset 1m @ end()") == .vectorSelector(selector("foo", pos(0, 21), offset: 60_000, at: .end)))
        #expect(parsed("foo @ -10") == .vectorSelector(selector("foo", pos(0, 9), at: .timestamp(-10_000))))
        #expect(parsed("foo @ 3.3335") == .vectorSelector(selector("foo", pos(0, 12), at: .timestamp(3334))))
        #expect(parsed("foo @ 0xA") == .vectorSelector(selector("foo", pos(0, 9), at: .timestamp(10_000))))
        // Several __name__ matchers inside braces are allowed; then no single name is recorded.
        #expect(parsed(#"{"bar", __name__="baz"}"#) == .vectorSelector(VectorSelector(
            name: nil, matchers: [.equal("__name__", "bar"), .equal("__name__", "baz")], position: pos(0, 23))))
        #expect(parsed(#"{__name__=~"bar", __name__!~"baz"}"#) != nil)
    }

    @Test func matrixSelectorsCarryModifiersOnTheInnerSelector() {
        let expected = Expr.matrixSelector(MatrixSelector(
            vectorSelector: selector("foo", pos(0, 3), offset: 3_600_000, at: .timestamp(100_000)),
            range: 300_000, position: pos(0, 25)))
        #expect(parsed("foo[5m] offset 1h @ 100.0") == expected)
        for (text, ms) in [("foo[4.18]", 4180), ("foo[4.018]", 4018), ("foo[4s18ms]", 4018), ("foo[1001ms]", 1001)] as [(String, Int64)] {
            guard case .matrixSelector(let m)? = parsed(text) else { Issue.record("\(text)"); continue }
            #expect(m.range == ms, "\(text)")
        }
        #expect(parsed("foo[90]") == .matrixSelector(MatrixSelector(vectorSelector: selector("foo", pos(0, 3)),
                                                                   range: 90_000, position: pos(0, 7))))
    }

    @Test func subqueries() {
        let inner = Expr.vectorSelector(selector("foo", pos(0, 3)))
        #expect(parsed("foo[1h:5m]") == .subquery(SubqueryExpr(expr: inner, range: 3_600_000, step: 300_000,
                                                                position: pos(0, 10))))
        #expect(parsed("foo[1h:] offset 5m") == .subquery(SubqueryExpr(expr: inner, range: 3_600_000, step: 0,
                                                                        offset: 300_000, position: pos(0, 18))))
        guard case .subquery(let nested)? = parsed("rate(foo[1m])[5m:1m] @ end()") else {
            Issue.record("nested subquery")
            return
        }
        #expect(nested.at == .end)
        #expect(nested.expr.type == .vector)
    }

    @Test func precedenceAndAssociativity() {
        let one = number(1, pos(0, 1))
        #expect(parsed("1 + 2 * 3") == .binary(BinaryExpr(
            op: .add, lhs: one,
            rhs: .binary(BinaryExpr(op: .mul, lhs: number(2, pos(4, 5)), rhs: number(3, pos(8, 9)), matching: nil,
                                    returnBool: false, position: pos(4, 9))),
            matching: nil, returnBool: false, position: pos(0, 9))))
        // ^ is right-associative.
        #expect(parsed("2 ^ 3 ^ 2")?.description == "2 ^ 3 ^ 2")
        guard case .binary(let pow)? = parsed("2 ^ 3 ^ 2") else { Issue.record("pow"); return }
        #expect(pow.lhs == number(2, pos(0, 1)))
        // Unary minus is below ^: -2^2 = -(2^2).
        guard case .unary(let neg)? = parsed("-2^2"), case .binary(let inner) = neg.expr else {
            Issue.record("-2^2")
            return
        }
        #expect(neg.op == .sub && inner.op == .pow && neg.position == pos(0, 4))
        // …but above *: -a * b = (-a) * b.
        guard case .binary(let product)? = parsed("-a * b"), case .unary = product.lhs else {
            Issue.record("-a * b")
            return
        }
        #expect(product.op == .mul)
        // or < and/unless < comparisons < +,- < *,/,%,atan2.
        guard case .binary(let or)? = parsed("a or b and c unless d == e + f atan2 g") else { Issue.record("or"); return }
        #expect(or.op == .or)
        guard case .binary(let and) = or.rhs, case .binary(let unless) = and.lhs == or.rhs ? and.rhs : and.rhs else {
            Issue.record("and")
            return
        }
        #expect(and.op == .unless && unless.op == .eql)
    }

    @Test func vectorMatching() {
        guard case .binary(let b)? = parsed("foo / on(a, b) group_left(c) bar") else { Issue.record("on"); return }
        #expect(b.matching == VectorMatching(cardinality: .manyToOne, matchingLabels: ["a", "b"], on: true, include: ["c"]))
        guard case .binary(let r)? = parsed("foo - ignoring(a) group_right bar") else { Issue.record("ignoring"); return }
        #expect(r.matching == VectorMatching(cardinality: .oneToMany, matchingLabels: ["a"], on: false, include: []))
        guard case .binary(let set)? = parsed("foo and bar") else { Issue.record("and"); return }
        #expect(set.matching?.cardinality == .manyToMany)
        guard case .binary(let scalarSide)? = parsed("foo > bool 1") else { Issue.record("bool"); return }
        #expect(scalarSide.matching == nil && scalarSide.returnBool)
        guard case .binary(let plain)? = parsed("foo + bar") else { Issue.record("plain"); return }
        #expect(plain.matching == VectorMatching(cardinality: .oneToOne))
    }

    @Test func aggregations() throws {
        let a = try #require(parsed("sum by (a, b) (foo)"))
        let b = try #require(parsed("sum(foo) by (a, b)"))
        guard case .aggregate(let first) = a, case .aggregate(let second) = b else {
            Issue.record("not aggregates")
            return
        }
        #expect(first.grouping == ["a", "b"] && second.grouping == ["a", "b"] && !first.without)
        #expect(first.position == pos(0, 19) && second.position == pos(0, 18))
        guard case .aggregate(let topk)? = parsed("topk(5, foo) without (x)") else { Issue.record("topk"); return }
        #expect(topk.op == .topk && topk.parameter == number(5, pos(5, 6)) && topk.without && topk.grouping == ["x"])
        guard case .aggregate(let cv)? = parsed(#"count_values("v", foo)"#) else { Issue.record("cv"); return }
        #expect(cv.parameter?.type == .string)
        guard case .aggregate(let quoted)? = parsed(#"sum by ("a.b", on, sum) (foo)"#) else { Issue.record("q"); return }
        #expect(quoted.grouping == ["a.b", "on", "sum"])
        for op in ["limitk(2, foo)", "limit_ratio(0.5, foo)", "quantile(0.9, foo)", "bottomk(1, foo)", "group(foo)",
                   "stddev(foo)", "stdvar(foo)", "avg(foo)", "count(foo)", "min(foo)", "max(foo)"] {
            #expect(parsed(op) != nil, "\(op)")
        }
    }

    @Test func calls() {
        guard case .call(let call)? = parsed("rate(foo[5m])") else { Issue.record("rate"); return }
        #expect(call.function.name == "rate" && call.args.count == 1 && call.position == pos(0, 13))
        #expect(parsed("time()")?.type == .scalar)
        #expect(parsed("round(foo)") != nil && parsed("round(foo, 5)") != nil)
        #expect(parsed(#"label_join(foo, "d", ",", "a", "b", "c")"#) != nil)
        #expect(parsed("histogram_quantile(0.9, rate(foo[5m]))")?.type == .vector)
        #expect(parsed("day_of_week()") != nil)
        #expect(parsed(#"info(foo, {k8s="x"})"#) != nil)
    }

    @Test func neverProducesStepInvariant() {
        func contains(_ e: Expr) -> Bool {
            switch e {
            case .stepInvariant: return true
            case .binary(let b): return contains(b.lhs) || contains(b.rhs)
            case .call(let c): return c.args.contains(where: contains)
            case .aggregate(let a): return contains(a.expr)
            case .subquery(let s): return contains(s.expr)
            case .paren(let p): return contains(p.expr)
            case .unary(let u): return contains(u.expr)
            default: return false
            }
        }
        let e = parsed("sum(rate(foo[5m] @ 100)) + rate((bar @ end())[5m:])")
        #expect(e.map(contains) == false)
    }
}
