import Foundation
import PharosCore
import PharosTestSupport
import Testing

/// Differential regexes: a real Prometheus 2.42 and a `pharos` subprocess scrape the same
/// fixture (label values with Unicode letters, case variants, Kelvin sign and long s,
/// decomposed accents, tabs and newlines), then (a) answer `=~`/`!~` selectors over a list of
/// regexes, and (b) apply the same relabel rules (`replace` with `$1`/`${name}`, `keep`,
/// `drop`, `labelmap`) to the scraped series. Both must give the same answers.
///
/// One real difference is expected and checked as such: Prometheus 3 (which Pharos follows)
/// compiles matcher and relabel regexes as `^(?s:…)$`, so `.` matches a newline; 2.42 used
/// `^(?:…)$`. For matchers, the values where the two compilations disagree (decided with both
/// compilations locally) must come out the 2.42 way from Prometheus and the 3 way from Pharos.
/// Relabel rules whose two compilations would differ on some fixture value get an explicit
/// `(?s)` for both servers, so newline values still go through them.
///
/// Canonically equivalent values ("K" beside KELVIN SIGN, composed "é" beside "e\u{301}") stay
/// distinct series, and regexes tell them apart as Go does (by scalars, not by Swift's `==`).
@Suite(.serialized, .timeLimit(.minutes(10))) struct RegexDifferentialTests {
    static let values = [
        "foo", "FOO", "foobar", "barfoo", "Straße", "STRASSE", "STRAßE", "αβγ", "ΑΒΓ", "жизнь", "中文", "abc123",
        "123", "a\nb", "line1\nline2", "k", "K", "\u{212A}", "ſ", "s", "x-y_z", "é", "e\u{301}", "xe\u{301}", "café", "tab\there",
        "Ünïcödé", "a.b", "axb", "٣", "abcd", "ab",
    ]

    static let matcherRegexes = [
        "foo", "FOO|foo", "(?i)foo", "(?i)foo|bar", "(?i)straße", "foo.*", ".*foo", ".*oo.*", "f.o", ".*", ".+", "",
        #"\pL+"#, #"\p{Greek}+"#, #"\p{Cyrillic}.*"#, #"\p{Han}+"#, #"\PL+"#, #"\p{Lu}.*"#, "[[:alpha:]]+", "[[:^alpha:]]+",
        #"\d+"#, #"\D+"#, #"\w+"#, #"\W+"#, "[^a-z]*", "a.b", "(?s)a.b", "line1.line2", #".*\n.*"#, "(?i)k", "(?i)K", "k|K", "k|s", "K", "e\u{301}|x",
        "(?i)s", "caf\\x{e9}", "(?m)^line2$", "(?m)line1$.*", #"tab\t.*"#, "x-y_z|abc123", #"\Qx-y\E.*"#,
        #"[\p{Greek}\d]+"#, #"[a-c]{3}\d{1,3}"#, "(?U)a.*", "(?i)(αβγ|жизнь)", #"\x{4E2D}.*"#, "(a|ab)(c|bcd)?d*",
        #"\bab\b.*"#, "(?i)ünïcödé", "é", "xe\u{301}", "x\\pL\\pM", "x\\pL+", "(?i:F)oo", ".", "..", "..?",
    ]

    /// (regex, replacement) for `replace` rules writing `t<k>` from `v`.
    static let replaceRules = [
        ("(.*)", "[$1]"), ("f(o+)(.*)", "$1|$2"), (#"(?P<first>\pL)(?P<rest>.*)"#, "${first}-${rest}"),
        ("(?i)(STRA)(ß|SS)(E)", "$3$2$1"), (#"(\d+)"#, "n$1"), (#"([[:alpha:]]+)(\d*)"#, "${1}_$2"),
        (#"(\p{Greek}+)"#, "greek:$1"), ("(a|ab)(c|bcd)?(.*)", "$1,$2,$3"), ("(.*?)(o*)", "$1/$2"),
        (#"line1\n(.*)"#, "$1"), ("(?i)(k)", "kelvin-$1"), ("(x)-(y)_(z)", "$3$2$1$$"), ("(é|xe\u{301})", "accent"),
        ("(.)(.)", "$2$1"), ("([^a-z]+)", "$1x"), (#"(?s)(.*)\n(.*)"#, "$2+$1"), (#"(\w+)"#, "${1}w"),
        ("(f)(o+)", "$1x"), ("(?P<n>.)(.*)", "$n${n}"), ("(a)|(b)", "<$1$2>"),
    ]

    static let keepRegexes = ["foo.*", "(?i)straße", #"\pL+"#, "[[:alpha:]]+", #"\d+"#, "a.b", ".*o.*", "(?i)k", "é"]
    static let dropRegexes = [".*oo.*", "(?i)FOO|bar", #"\p{Greek}+"#, #"\D+"#, #"line1\n.*"#, "k|s"]

    /// Go's text-format label value escaping.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// YAML double-quoted scalar.
    static func yaml(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// `regex` as written, or with `(?s)` when `^(?:…)$` and `^(?s:…)$` differ on some value.
    static func portable(_ regex: String) throws -> String {
        let old = try RE2Regex("^(?:" + regex + ")$"), new = try RE2Regex("^(?s:" + regex + ")$")
        let differs = values.contains { old.wholeMatchCaptures($0)?.map { $0.map(String.init) } != new.wholeMatchCaptures($0)?.map { $0.map(String.init) } }
        return differs ? "(?s)" + regex : regex
    }

    static func config(port: Int) throws -> String {
        var relabel = """
                  - action: labelmap
                    regex: "lab_(.*)"
                    replacement: "m_$1"
                  - action: labelmap
                    regex: "(?i)LAB_(b.*)"
                    replacement: "ci_$1"

            """
        for (index, (regex, replacement)) in replaceRules.enumerated() {
            relabel += """
                      - source_labels: [v]
                        regex: \(yaml(try portable(regex)))
                        target_label: t\(index)
                        replacement: \(yaml(replacement))

                """
        }
        func job(_ name: String, _ rules: String) -> String {
            """
              - job_name: \(name)
                metrics_path: /values.prom
                static_configs:
                  - targets: ['127.0.0.1:\(port)']
                metric_relabel_configs:
            \(rules.isEmpty ? "      []\n" : rules)
            """
        }
        var config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n"
        config += job("plain", "")
        config += job("relabel", relabel)
        for (index, regex) in keepRegexes.enumerated() {
            config += job("keep\(index)", "      - {action: keep, source_labels: [v], regex: \(yaml(try portable(regex)))}\n")
        }
        for (index, regex) in dropRegexes.enumerated() {
            config += job("drop\(index)", "      - {action: drop, source_labels: [v], regex: \(yaml(try portable(regex)))}\n")
        }
        return config
    }

    static var fixture: String {
        var text = "# TYPE rx gauge\n"
        for (index, value) in values.enumerated() {
            text += "rx{i=\"\(index)\",v=\"\(escaped(value))\",lab_alpha=\"one\",lab_Beta=\"two\"} 1\n"
        }
        text += "rx{i=\"nov\",lab_alpha=\"one\"} 1\n"
        return text
    }

    static var fixtureServerScript: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/testapps/fixture_server.py").path
    }

    @Test func prometheusAndPharosAgreeOnRegexes() async throws {
        try await withTemporaryDirectory { folder in
            let served = folder + "/fixtures"
            try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
            try Self.fixture.write(toFile: served + "/values.prom", atomically: true, encoding: .utf8)
            let port = try Peers.freePort()
            let server = try PeerProcess(try Peers.python3(), [Self.fixtureServerScript, "\(port)", served],
                                         logPath: folder + "/fixtures.log")
            defer { server.stop() }
            try await server.waitForLog(containing: "listening on \(port)", timeout: .seconds(30))

            let config = try Self.config(port: port)
            try config.write(toFile: folder + "/scrape.yml", atomically: true, encoding: .utf8)
            let pharos = try await PharosSubprocess(dataPath: folder + "/pharos-data", logPath: folder + "/pharos.log",
                                                    extraArguments: ["--config.file=\(folder)/scrape.yml"])
            defer { pharos.stop() }
            let prometheus = try await PrometheusPeer.start(folder: folder, config: config)
            defer { prometheus.stop() }
            let reference = prometheus.client
            let jobs = Double(2 + Self.keepRegexes.count + Self.dropRegexes.count)

            // Both have scraped every job twice (scrape_series_added is 0 again).
            for _ in 0..<150 {
                let want = try? await reference.query("count(scrape_series_added == 0)", at: Date().timeIntervalSince1970)
                let have = try? await pharos.query("count(scrape_series_added == 0)", at: Date().timeIntervalSince1970)
                if want?.series["{}"]?.first?.value == jobs, have?.series["{}"]?.first?.value == jobs { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let now = Date().timeIntervalSince1970
            var failures: [String] = []

            // (a) Matchers.
            for regex in Self.matcherRegexes {
                for op in ["=~", "!~"] {
                    let query = "rx{job=\"plain\", v\(op)`\(regex)`}"
                    let want = try await Self.indices(reference, query, at: now)
                    let have = try await Self.indices(pharos.client, query, at: now)
                    // Where 2.42 (no `s` flag) and 3 differ, Prometheus answers the 2.42 way.
                    let old = try RE2Regex(regex), new = try RE2Regex(regex, dotMatchesNewline: true)
                    var expected = want
                    for (index, value) in Self.values.enumerated() where old.wholeMatch(value) != new.wholeMatch(value) {
                        let key = String(index)
                        let in3 = (op == "=~") == new.wholeMatch(value)
                        #expect(want.contains(key) != in3, "2.42 differs from 3 on \(regex) \(value.debugDescription)")
                        if in3 { expected.insert(key) } else { expected.remove(key) }
                    }
                    if have != expected {
                        let names = { (set: Set<String>) in set.sorted().map { Int($0).map { Self.values[$0].debugDescription } ?? $0 } }
                        failures.append("\(query): Prometheus \(names(expected)), Pharos \(names(have))")
                    }
                }
            }

            // (b) Relabelling.
            let query = "rx{job!=\"plain\"}"
            let want = try await reference.query(query, at: now).ignoringTimes
            let have = try await pharos.query(query, at: now).ignoringTimes
            #expect(want.series.count > Self.values.count, "Prometheus stored little:\n\(want)\n\(prometheus.log)")
            if let difference = have.difference(from: want, tolerance: 0) { failures.append("relabelled series: \(difference)") }

            #expect(failures.isEmpty, "\(failures.count) differences:\n\(failures.joined(separator: "\n"))")
        }
    }

    /// The `i` labels of the series `query` selects.
    static func indices(_ client: TestHTTPClient, _ query: String, at time: Double) async throws -> Set<String> {
        let response = try await client.postForm("/api/v1/query", "query=\(TestHTTPClient.formEncode(query))&time=\(time)")
        guard response.status == 200 else { throw PeerError("query \(query): HTTP \(response.status): \(response.body)") }
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        let data = object?["data"] as? [String: Any]
        let result = data?["result"] as? [[String: Any]] ?? []
        return Set(result.compactMap { ($0["metric"] as? [String: String])?["i"] })
    }
}
