import PharosCore
import Testing

/// Matching as Go's `regexp` does: leftmost-first, captures, flags, classes, folding.
@Suite(.timeLimit(.minutes(5))) struct RegexSemanticsTests {
    func groups(_ pattern: String, in text: String) throws -> [String?]? {
        let regex = try RE2Regex(pattern)
        return regex.firstMatch(in: text).map { $0.map { $0.map { String(text[$0]) } } }
    }

    func whole(_ pattern: String, _ text: String, dotNL: Bool = false) throws -> Bool {
        try RE2Regex(pattern, dotMatchesNewline: dotNL).wholeMatch(text)
    }

    @Test func leftmostFirstAlternationAndCaptures() throws {
        #expect(try groups("(a|ab)(c|bcd)(d*)", in: "abcd") == ["abcd", "a", "bcd", ""])
        #expect(try groups("a|ab", in: "ab") == ["a"])
        #expect(try groups("ab|a", in: "ab") == ["ab"])
        #expect(try groups("(a)|b", in: "b") == ["b", nil])
        #expect(try groups("x*", in: "yxx") == [""])
        #expect(try groups("b+", in: "abbbc") == ["bbb"])
        #expect(try RE2Regex("(a|ab)(c|bcd)(d*)").wholeMatchCaptures("abcd") == ["abcd", "a", "bcd", ""])
        // A whole match may need a lower-priority alternative.
        #expect(try RE2Regex("(a|ab)").wholeMatchCaptures("ab") == ["ab", "ab"])
    }

    @Test func lazyAndGreedy() throws {
        #expect(try groups("a+?", in: "aaa") == ["a"])
        #expect(try groups("a*?b", in: "aab") == ["aab"])
        #expect(try RE2Regex("(a+?)(a*)").wholeMatchCaptures("aaa") == ["aaa", "a", "aa"])
        #expect(try RE2Regex("(a+)(a*)").wholeMatchCaptures("aaa") == ["aaa", "aaa", ""])
        #expect(try RE2Regex("(a{1,3}?)(a*)").wholeMatchCaptures("aaa") == ["aaa", "a", "aa"])
        #expect(try groups("(?U)a+", in: "aaa") == ["a"])
        #expect(try groups("(?U)a+?", in: "aaa") == ["aaa"])
        #expect(try groups("a??", in: "a") == [""])
    }

    @Test func counting() throws {
        #expect(try whole("a{2,3}", "aaa"))
        #expect(try !whole("a{2,3}", "aaaa"))
        #expect(try !whole("a{2,3}", "a"))
        #expect(try whole("a{2,}", "aaaaa"))
        #expect(try whole("a{0}", ""))
        #expect(try whole("(ab){2}", "abab"))
        #expect(try whole("a{,2}", "a{,2}"))
        #expect(try whole("x{1000}", String(repeating: "x", count: 1000)))
    }

    @Test func caseFolding() throws {
        #expect(try whole("(?i)abc", "AbC"))
        #expect(try whole("(?i)k", "\u{212A}"))          // KELVIN SIGN
        #expect(try whole("(?i)K", "k"))
        #expect(try whole("(?i)s", "\u{017F}"))          // LONG S
        #expect(try whole("(?i)[a-z]+", "HeLLo\u{212A}"))
        #expect(try whole("(?i)σ", "Σ"))
        #expect(try whole("(?i)σ", "ς"))
        #expect(try !whole("abc", "ABC"))
        #expect(try whole("(?i:a)b", "Ab"))
        #expect(try !whole("(?i:a)b", "AB"))
        #expect(try whole("(?i)foo|bar", "BAR"))
        #expect(try whole("(?i)\\w", "\u{212A}"))
        #expect(try !whole("(?i)\\W", "\u{212A}"))
        #expect(try whole("(?i)[[:upper:]]", "q"))
        #expect(try whole("(?i)\\p{Lu}", "q"))
        #expect(try whole("(?i)straße", "STRAßE"))
    }

    @Test func dotAndNewlines() throws {
        #expect(try !whole(".", "\n"))
        #expect(try whole("(?s).", "\n"))
        #expect(try whole(".", "\n", dotNL: true))
        #expect(try !whole("(?-s).", "\n", dotNL: true))
        #expect(try whole("a.*b", "a\nb", dotNL: true))
        #expect(try whole("[^a]", "\n"))               // classes match \n (ClassNL)
        #expect(try whole("\\s", "\n"))
        #expect(try !whole("\\s", "\u{0B}"))           // RE2's \s has no \v
    }

    @Test func anchorsAndMultiline() throws {
        #expect(try groups("^b$", in: "a\nb\nc") == nil)
        #expect(try groups("(?m)^b$", in: "a\nb\nc") == ["b"])
        #expect(try groups("a$", in: "a\n") == nil)     // $ is \z without (?m)
        #expect(try groups("(?m)a$", in: "a\n") == ["a"])
        #expect(try groups("\\Ab", in: "ab") == nil)
        #expect(try groups("a\\z", in: "ba") == ["a"])
        #expect(try whole("a^b", "ab") == false)
        #expect(try whole("^ab$", "ab"))
    }

    @Test func wordBoundaries() throws {
        #expect(try groups("\\bfoo\\b", in: "a foo b") == ["foo"])
        #expect(try groups("\\bfoo\\b", in: "afoo") == nil)
        #expect(try groups("\\Boo", in: "foo") == ["oo"])
        #expect(try groups("\\bé", in: "é") == nil)    // \b is ASCII
    }

    @Test func classes() throws {
        #expect(try whole("\\d+", "0123456789"))
        #expect(try !whole("\\d", "٣"))                 // ASCII only
        #expect(try whole("\\p{Nd}", "٣"))
        #expect(try whole("\\pN", "٣"))
        #expect(try whole("\\D", "a"))
        #expect(try whole("\\w+", "a_Z9"))
        #expect(try !whole("\\w", "é"))
        #expect(try whole("[[:alpha:]]+", "abcXYZ"))
        #expect(try !whole("[[:alpha:]]", "é"))
        #expect(try whole("[[:^alpha:]]", "1"))
        #expect(try whole("[[:punct:]]+", "!-/:@[`{~"))
        #expect(try whole("\\pL+", "éΩжa中"))
        #expect(try !whole("\\pL", "1"))
        #expect(try whole("\\PL", "1"))
        #expect(try whole("\\p{^L}", "1"))
        #expect(try !whole("\\P{^L}", "1"))
        #expect(try whole("\\p{Lu}", "Ж"))
        #expect(try !whole("\\p{Lu}", "ж"))
        #expect(try whole("\\p{Greek}+", "αβγΩ"))
        #expect(try !whole("\\p{Greek}", "a"))
        #expect(try whole("\\p{Cyrillic}+", "жизнь"))
        #expect(try whole("\\p{Han}+", "中文"))
        #expect(try whole("\\p{Latin}+", "abcé"))
        #expect(try whole("\\p{Arabic}", "ع"))
        #expect(try whole("\\p{Hebrew}", "ש"))
        #expect(try whole("[\\p{Greek}\\d]+", "α1β2"))
        #expect(try whole("[^\\pL\\d]", "-"))
        #expect(try !whole("[^\\pL\\d]", "x"))
        #expect(try whole("[a-c-e]+", "a-e"))
        #expect(try whole("[]a]+", "]a"))
        #expect(try whole("\\p{Any}", "\u{10FFFF}"))
        #expect(try !whole("[^\\x00-\\x{10FFFF}]", "a"))
    }

    @Test func escapes() throws {
        #expect(try whole("\\x41\\x{1F600}\\101\\0", "A😀A\u{0}"))
        #expect(try whole("\\a\\f\\t\\n\\r\\v", "\u{07}\u{0C}\t\n\r\u{0B}"))
        #expect(try whole("\\Qa.b*\\E+", "a.b**"))
        #expect(try !whole("\\Qa.b\\E", "axb"))
        #expect(try whole("\\.\\*\\_\\-", ".*_-"))
        #expect(try whole("\\Qa.b", "a.b"))
    }

    @Test func emptyMatchesAndReplaceAll() throws {
        let regex = try RE2Regex("a*")
        #expect(regex.replaceAll(in: "baaac", with: "X") == "XbXcX")
        #expect(try RE2Regex("a(x*)").replaceAll(in: "-ab-axxb-", with: "${1}W") == "-Wb-xxWb-")
        #expect(try RE2Regex("(?P<w>\\w+)").replaceAll(in: "hi there", with: "<$w>") == "<hi> <there>")
        #expect(try RE2Regex("").replaceAll(in: "ab", with: "-") == "-a-b-")
        #expect(try RE2Regex("x").replaceAll(in: "é", with: "-") == "é")
        #expect(try whole("", ""))
        #expect(try whole("a|", ""))
        #expect(try whole("()", ""))
        #expect(try RE2Regex("(a*)+").wholeMatchCaptures("b") == nil)
        #expect(try RE2Regex("(a*)+").wholeMatchCaptures("") == ["", ""])
        // Go compiles a loop over a nullable body as (x+)?: the group takes part.
        #expect(try groups("(a*)*", in: "b") == ["", ""])
        #expect(try groups("(a*)*", in: "aab") == ["aa", "aa"])
        #expect(try groups("(a|b|)*", in: "abc") == ["ab", "b"])
        #expect(try groups("(a*?)*?", in: "a") == ["", nil])
    }

    @Test func expandLikeGo() throws {
        let regex = try RE2Regex("(?P<first>a)(b)?")
        let captures = regex.wholeMatchCaptures("a")!
        #expect(regex.expand("$1-$2-$first-${first}x-$$-$1x-$-${", captures: captures) == "a--a-ax-$--$-${")
        #expect(regex.expand("$01", captures: captures) == "")
        #expect(regex.expand("${0}", captures: captures) == "a")
    }

    @Test func pathologicalPatternsStayLinear() throws {
        let many = String(repeating: "a", count: 20_000)
        #expect(try !whole("(a*)*b", many))
        #expect(try !whole("(a|aa)*c", many))
        #expect(try groups("(a|aa)*c", in: many) == nil)
        #expect(try whole("(a|aa)*", many))
        #expect(try whole("(x+x+)+y", String(repeating: "x", count: 5_000) + "y"))
        #expect(try !whole("(?:a?){30}a{30}", String(repeating: "a", count: 29)))
        #expect(try whole("(?:a?){30}a{30}", String(repeating: "a", count: 30)))
    }

    @Test func fastPathsAgreeWithTheMachine() throws {
        let patterns = [".*", ".+", "foo", "foo|bar|", "(?i)foo|BAR", "foo.*", ".*foo", ".*foo.*", "a.*b.*c",
                        "ab.*ba", "(?i)straße", "", "é", "k|s", "(?i)k", "(foo|bar)"]
        let inputs = ["", "foo", "bar", "FOO", "Bar", "foox", "xfoo", "xfoox", "abc", "a-b-c", "aba", "abba",
                      "STRASSE", "STRAßE", "é", "e\u{301}", "K", "\u{212A}", "k", "s", "\n", "foo\nbar", "ab\nba"]
        for pattern in patterns {
            let fast = try RE2Regex(pattern, dotMatchesNewline: true)
            // One capture group keeps the general machine.
            let slow = try RE2Regex("(?:" + pattern + ")(\\B?)", dotMatchesNewline: true)
            for input in inputs {
                #expect(fast.wholeMatch(input) == (slow.wholeMatchCaptures(input) != nil), "\(pattern) on \(input.debugDescription)")
            }
        }
    }

    @Test func equalityByPattern() throws {
        #expect(try RE2Regex("a+") == RE2Regex("a+"))
        #expect(try RE2Regex("a+") != RE2Regex("a+", dotMatchesNewline: true))
        #expect(try RE2Regex("a+") != RE2Regex("a*"))
    }
}

extension RegexSemanticsTests {
    @Test func literalPrefixShortcutKeepsCaptures() throws {
        let regex = try RE2Regex("^(?s:__meta_kubernetes_pod_label_(.+))$")
        #expect(regex.wholeMatchCaptures("__meta_kubernetes_pod_label_app") == ["__meta_kubernetes_pod_label_app", "app"])
        #expect(regex.wholeMatchCaptures("__meta_kubernetes_pod_label_") == nil)
        #expect(regex.wholeMatchCaptures("__meta_kubernetes_namespace") == nil)
        #expect(!regex.wholeMatch("x__meta_kubernetes_pod_label_app"))
        // A prefix under (?i) or inside an alternation is no requirement.
        #expect(try RE2Regex("(?i)ab(c)").wholeMatchCaptures("ABc") == ["ABc", "c"])
        #expect(try RE2Regex("ab(c)|x(y)").wholeMatchCaptures("xy") == ["xy", nil, "y"])
        // With a fast path the captures still come from the machine.
        #expect(try RE2Regex("foo(.*)", dotMatchesNewline: true).wholeMatchCaptures("foobar") == ["foobar", "bar"])
        #expect(try RE2Regex("foo(.*)", dotMatchesNewline: true).wholeMatchCaptures("fobar") == nil)
    }
}
