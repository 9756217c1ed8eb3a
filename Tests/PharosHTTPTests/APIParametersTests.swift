import PharosCore
import Testing
@testable import PharosHTTP

@Suite(.timeLimit(.minutes(5))) struct APIParametersTests {
    @Test(arguments: [
        ("1435781451.781", Int64(1_435_781_451_781)), ("1435781451", 1_435_781_451_000), ("0", 0),
        ("1.0006", 1001), ("1.0005", 1000), ("-1.5", -1500), ("1e3", 1_000_000), ("2015-07-01T20:10:51.781Z", 1_435_781_451_781),
        ("2015-07-01T20:10:51Z", 1_435_781_451_000), ("2015-07-01T22:10:51.781123456+02:00", 1_435_781_451_781),
        ("1970-01-01T00:00:00-01:30", 5_400_000), ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        (APIParameters.minTimeText, Int64.min), (APIParameters.maxTimeText, Int64.max),
    ])
    func parseTime(_ text: String, _ expected: Int64) throws {
        #expect(try APIParameters.parseTime(text) == expected)
    }

    @Test(arguments: [
        "", "abc", " 1", "1 ", "NaN", "Inf", "2015-07-01", "2015-07-01T20:10:51", "2015-13-01T20:10:51Z",
        "2023-02-29T00:00:00Z", "2015-07-01T25:10:51Z", "2015-07-01T20:10:51.Z", "2015-07-01T20:10:51Zjunk",
        "2015-07-01T20:10:51+0200", "0x10",
    ])
    func parseTimeRejects(_ text: String) {
        #expect(throws: APIError.self) { try APIParameters.parseTime(text) }
        do {
            _ = try APIParameters.parseTime(text)
        } catch {
            #expect(error.message == "cannot parse \(goQuote(text)) to a valid timestamp")
            #expect(error.kind == .badData)
        }
    }

    @Test(arguments: [
        ("15", Int64(15_000_000_000)), ("0.5", 500_000_000), ("1m30s", 90_000_000_000), ("5m", 300_000_000_000),
        ("1h", 3_600_000_000_000), ("-1", -1_000_000_000), ("0", 0), ("1ms", 1_000_000),
    ])
    func parseDuration(_ text: String, _ expected: Int64) throws {
        #expect(try APIParameters.parseDuration(text) == expected)
    }

    @Test func parseDurationErrors() {
        #expect(throws: APIError.self) { try APIParameters.parseDuration("1x") }
        do { _ = try APIParameters.parseDuration("1e19") } catch {
            #expect(error.message == #"cannot parse "1e19" to a valid duration. It overflows int64"#)
        }
        do { _ = try APIParameters.parseDuration("fast") } catch {
            #expect(error.message == #"cannot parse "fast" to a valid duration"#)
        }
    }

    @Test func timeParameterDefaultAndWrapping() throws {
        let form = try FormParameters(encoded: "time=&start=abc")
        #expect(try APIParameters.timeParameter(form, "time", default: 42) == 42)
        #expect(try APIParameters.timeParameter(form, "end", default: 7) == 7)
        do {
            _ = try APIParameters.timeParameter(form, "start", default: 0)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == #"invalid parameter "start": Invalid time value for 'start': cannot parse "abc" to a valid timestamp"#)
        }
    }

    @Test func limit() throws {
        #expect(try APIParameters.limitParameter(FormParameters(encoded: "")) == 0)
        #expect(try APIParameters.limitParameter(FormParameters(encoded: "limit=5")) == 5)
        #expect(throws: APIError.self) { try APIParameters.limitParameter(FormParameters(encoded: "limit=-1")) }
        do { _ = try APIParameters.limitParameter(FormParameters(encoded: "limit=x")) } catch {
            #expect(error.message == #"invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax"#)
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct FormParametersTests {
    @Test func repeatedAndDecoded() throws {
        let form = try FormParameters(encoded: "match%5B%5D=up&match[]=%7Bjob%3D%22a+b%22%7D&query=sum(rate(x[5m]))&flag&empty=")
        #expect(form.all("match[]") == ["up", #"{job="a b"}"#])
        #expect(form["query"] == "sum(rate(x[5m]))")
        #expect(form["flag"] == "")
        #expect(form["empty"] == "")
        #expect(form["missing"] == nil)
    }

    @Test func bodyAppendsAfterQuery() throws {
        var form = try FormParameters(encoded: "query=a")
        try form.append(encoded: "query=b&time=1")
        #expect(form["query"] == "a")
        #expect(form.all("query") == ["a", "b"])
        #expect(form["time"] == "1")
    }

    @Test func utf8Escapes() throws {
        #expect(try FormParameters(encoded: "q=%E2%98%83")["q"] == "☃")
    }

    @Test(arguments: ["q=%", "q=%4", "q=%zz", "a%2=1", "q=abc%G1"])
    func brokenEscapes(_ encoded: String) {
        #expect(throws: APIError.self) { try FormParameters(encoded: encoded) }
        do { _ = try FormParameters(encoded: encoded) } catch {
            #expect(error.kind == .badData)
            #expect(error.message.hasPrefix("error parsing form values: invalid URL escape \"%"))
        }
    }

    @Test func emptyInputs() throws {
        #expect(try FormParameters(encoded: nil).pairs.isEmpty)
        #expect(try FormParameters(encoded: "&&").pairs.isEmpty)
    }
}

@Suite(.timeLimit(.minutes(5))) struct RFC3339Tests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (1_435_781_451_781, "2015-07-01T20:10:51.781Z"),
        (1_435_781_451_500, "2015-07-01T20:10:51.5Z"), (1_709_164_800_000, "2024-02-29T00:00:00Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func format(_ milliseconds: Int64, _ expected: String) {
        #expect(RFC3339.format(milliseconds) == expected)
        #expect(RFC3339.parse(expected) == milliseconds)
    }

    @Test func truncatedAtEveryOffsetIsRejected() {
        let text = "2015-07-01T20:10:51.781+02:00"
        #expect(RFC3339.parse(text) != nil)
        for length in 0..<text.count {
            let prefix = String(text.prefix(length))
            #expect(RFC3339.parse(prefix) == nil, "accepted truncated \(prefix)")
        }
    }
}
