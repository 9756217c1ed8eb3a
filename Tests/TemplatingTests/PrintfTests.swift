import Testing
@testable import Templating

/// `printf` against the outputs Go's fmt documentation gives.
struct PrintfTests {
    @Test(arguments: [
        ("%v|%d", [.int(23), .int(23)], "23|23"),
        ("%x %X %o %b %c %q %U", [.int(255), .int(255), .int(8), .int(5), .int(65), .int(65), .int(0x1F600)], "ff FF 10 101 A 'A' U+1F600"),
        ("%5d|%-5d|%05d|%+d|% d", [.int(23), .int(23), .int(23), .int(5), .int(5)], "   23|23   |00023|+5| 5"),
        ("%x %#x %#o %.3d", [.int(-255), .int(255), .int(8), .int(7)], "-ff 0xff 010 007"),
        ("%f|%.2f|%8.3f|%-8.3f|%08.3f|%+.2f", [.float(3.141592653589793), .float(3.141592653589793), .float(3.141592653589793),
                                               .float(3.141592653589793), .float(3.141592653589793), .float(3.141592653589793)],
         "3.141593|3.14|   3.142|3.142   |0003.142|+3.14"),
        ("%e %E %g %.3g", [.float(1234.5678), .float(1234.5678), .float(1234.5678), .float(1234.5678)], "1.234568e+03 1.234568E+03 1234.5678 1.23e+03"),
        ("%g %g %v %v %v", [.float(1e21), .float(0.000001234), .float(1e6), .float(3.0), .float(-0.0)], "1e+21 1.234e-06 1e+06 3 -0"),
        ("%.4g %.4g %.4g %.4g", [.float(1234567), .float(0.0001234), .float(100), .float(1.5)], "1.235e+06 0.0001234 100 1.5"),
        ("%f %v %.2f %5.1f|", [.float(.infinity), .float(-.infinity), .float(.nan), .float(.infinity)], "+Inf -Inf NaN  +Inf|"),
        ("%s|%q|%#q|%x|% x|%X", [.string("foo"), .string("foo\"bar"), .string("foo"), .string("hi"), .string("hi"), .string("hi")],
         "foo|\"foo\\\"bar\"|`foo`|6869|68 69|6869"),
        ("%10s|%-10s|%.2s|%5.1s", [.string("foo"), .string("foo"), .string("foo"), .string("foo")], "       foo|foo       |fo|    f"),
        ("%t %v", [.bool(true), .bool(false)], "true false"),
        ("%d", [.string("foo")], "%!d(string=foo)"),
        ("%s", [.int(5)], "%!s(int=5)"),
        ("%d %s", [.float(1.5), .bool(true)], "%!d(float64=1.5) %!s(bool=true)"),
        ("%d", [], "%!d(MISSING)"),
        ("%d", [.int(1), .int(2)], "1%!(EXTRA int=2)"),
        ("hi", [.string("x"), .int(3)], "hi%!(EXTRA string=x, int=3)"),
        ("%z", [.int(5)], "%!z(int=5)"),
        ("%d", [.nil], "%!d(<nil>)"),
        ("100%", [], "100%!(NOVERB)"),
        ("%d%%", [.int(50)], "50%"),
        ("%6.2f%%", [.float(3.14159)], "  3.14%"),
        ("%v %d %s %q", [.list([.int(1), .int(2)]), .list([.int(1), .int(2)]), .list([.string("a"), .string("b")]), .list([.string("a"), .string("b")])],
         "[1 2] [1 2] [a b] [\"a\" \"b\"]"),
        ("%v", [.map(TemplateMap(["b": .int(2), "a": .int(1)]))], "map[a:1 b:2]"),
        ("%T %T %T %T", [.int(1), .string("s"), .float(1), .bool(true)], "int string float64 bool"),
        ("%[2]d %[1]d", [.int(1), .int(2)], "2 1"),
        ("%*d|%-*d|%.*f", [.int(5), .int(42), .int(4), .int(7), .int(2), .float(3.14159)], "   42|7   |3.14"),
        ("%s %v", [.duration(90_000_000_000), .duration(1_500_000)], "1m30s 1.5ms"),
    ] as [(String, [TemplateValue], String)])
    func sprintf(_ format: String, _ args: [TemplateValue], _ expected: String) {
        #expect(GoFormat.sprintf(format, args) == expected)
    }

    @Test func throughTheTemplate() async throws {
        #expect(try await render(#"{{ printf "%.2f%%" 12.3456 }} {{ printf "%s=%q" "a" "b" }} {{ printf "%d" 1.5 }}"#)
            == #"12.35% a="b" %!d(float64=1.5)"#)
    }
}
