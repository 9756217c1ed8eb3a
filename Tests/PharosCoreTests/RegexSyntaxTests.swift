import PharosCore
import Testing

/// Parse errors with Go's exact `regexp.Compile` messages.
@Suite(.timeLimit(.minutes(5))) struct RegexSyntaxTests {
    static let errors: [(String, String)] = [
        ("(a", "missing closing ): `(a`"),
        ("(a|b", "missing closing ): `(a|b`"),
        ("x(?:a", "missing closing ): `x(?:a`"),
        ("a)", "unexpected ): `a)`"),
        (")", "unexpected ): `)`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("+a", "missing argument to repetition operator: `+`"),
        ("a|?", "missing argument to repetition operator: `?`"),
        ("(*)", "missing argument to repetition operator: `*`"),
        ("*?", "missing argument to repetition operator: `*?`"),
        ("{2}", "missing argument to repetition operator: `{2}`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a*+", "invalid nested repetition operator: `*+`"),
        ("a*??", "invalid nested repetition operator: `*??`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("\\k", "invalid escape sequence: `\\k`"),
        ("\\8", "invalid escape sequence: `\\8`"),
        ("\\1", "invalid escape sequence: `\\1`"),
        ("\\C", "invalid escape sequence: `\\C`"),
        ("\\Z", "invalid escape sequence: `\\Z`"),
        ("\\xZ1", "invalid escape sequence: `\\xZ1`"),
        ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
        ("\\x{}", "invalid escape sequence: `\\x{}`"),
        ("[\\b]", "invalid escape sequence: `\\b`"),
        ("a\\", "trailing backslash at end of expression: ``"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("x[b-a]y", "invalid character class range: `b-a`"),
        ("[a", "missing closing ]: `[a`"),
        ("x[^a-", "missing closing ]: `[^a-`"),
        ("[]", "missing closing ]: `[]`"),
        ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
        ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
        ("[\\p{Foo}]", "invalid character class range: `\\p{Foo}`"),
        ("\\pX", "invalid character class range: `\\pX`"),
        ("\\p{L", "invalid character class range: `\\p{L`"),
        ("a{1001}", "invalid repeat count: `{1001}`"),
        ("a{1001,}", "invalid repeat count: `{1001,}`"),
        ("a{2,1}", "invalid repeat count: `{2,1}`"),
        ("a{0,1001}", "invalid repeat count: `{0,1001}`"),
        ("(a{500}){3}", "invalid repeat count: `{3}`"),
        ("(?P<n!>a)", "invalid named capture: `(?P<n!>`"),
        ("(?P<>a)", "invalid named capture: `(?P<>`"),
        ("(?<n n>a)", "invalid named capture: `(?<n n>`"),
        ("(?P<name", "invalid named capture: `(?P<name`"),
        ("(?<=a)", "invalid named capture: `(?<=a)`"),
        ("(?<", "invalid or unsupported Perl syntax: `(?<`"),
        ("(?x)", "invalid or unsupported Perl syntax: `(?x`"),
        ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
        ("(?", "invalid or unsupported Perl syntax: `(?`"),
        ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
        ("(?i-s-m)", "invalid or unsupported Perl syntax: `(?i-s-`"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
        ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
    ]

    @Test(arguments: errors)
    func rejectsWithGoMessage(_ pattern: String, _ message: String) {
        #expect(throws: RE2Error.self) { try RE2Regex(pattern) }
        do {
            _ = try RE2Regex(pattern)
        } catch {
            #expect(error.description == "error parsing regexp: " + message, "pattern \(pattern)")
        }
    }

    static let valid = [
        "", "a", "a|", "|", "(|a)", "()", "(?:)", "a{,5}", "a{", "{", "a{1,2", "x{1000}", "x{0,1000}",
        "(?i)abc", "(?i-s:a.)", "(?U)a+", "(?ims)a", "(?P<name>a)(?<other>b)", "(?P<a>x)(?P<a>y)",
        "[]a]", "[^]a]", "[a-]", "[-a]", "[[:alpha:][:^digit:]]", "[\\d\\pL]", "\\p{^Greek}", "\\PL",
        "\\pN", "\\p{Any}", "\\Qa.b*\\E", "\\Qunterminated", "\\x41\\x{1F600}\\101\\0\\a\\f\\t\\n\\r\\v",
        "\\.\\*\\_\\-\\!", "^*", "$+", "\\b?", "[\\x{10FFFF}]", "a{0}", "(?i)\\p{Lu}",
    ]

    @Test(arguments: valid)
    func accepts(_ pattern: String) throws {
        _ = try RE2Regex(pattern)
    }

    @Test func groupNamesByIndex() throws {
        let regex = try RE2Regex("(a)(?P<year>\\d{4})(?:x)(?<month>b)")
        #expect(regex.groupNames == [nil, nil, "year", "month"])
        #expect(regex.captureCount == 3)
    }

    @Test func literalAlternativesOnlyForPlainCaseSensitiveLiterals() throws {
        #expect(try RE2Regex("a|b|c").literalAlternatives == ["a", "b", "c"])
        #expect(try RE2Regex("foo").literalAlternatives == ["foo"])
        #expect(try RE2Regex("(foo|bar)").literalAlternatives == ["foo", "bar"])
        #expect(try RE2Regex("foo|").literalAlternatives == ["foo", ""])
        #expect(try RE2Regex("a\\.b|c").literalAlternatives == ["a.b", "c"])
        #expect(try RE2Regex("(?i)foo|bar").literalAlternatives == nil)
        #expect(try RE2Regex("(?i)123|456").literalAlternatives == ["123", "456"])
        #expect(try RE2Regex("a.b").literalAlternatives == nil)
        #expect(try RE2Regex("foo.*").literalAlternatives == nil)
    }
}
