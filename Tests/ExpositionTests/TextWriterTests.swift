import Exposition
import PharosCore
import PharosTestSupport
import Testing

@Suite(.timeLimit(.minutes(5))) struct TextWriterTests {
    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-1.0, "-1"), (-0.0, "-0"), (0.1, "0.1"), (1e6, "1e+06"), (123456, "123456"),
        (999999, "999999"), (1234567, "1.234567e+06"), (0.0001, "0.0001"), (0.000123, "0.000123"),
        (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (1e21, "1e+21"), (1e100, "1e+100"), (.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (100, "100"), (0.1 + 0.2, "0.30000000000000004"),
        (1.726839813016397e+09, "1.726839813016397e+09"), (-2.5, "-2.5"), (12.47, "12.47"), (1027, "1027"),
        (9007199254740992, "9.007199254740992e+15"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
        (-0.0005, "-0.0005"), (123456.7, "123456.7"), (1e-4 * 3, "0.00030000000000000003"),
    ])
    func goFloatFormatting(_ value: Double, _ expected: String) {
        #expect(GoFloat.format(value) == expected)
    }

    @Test func exactText() {
        var writer = TextWriter()
        writer.write([
            ExpositionFamily(name: "http_requests_total", type: .counter, help: "Total requests.\nWith \\ backslash.", samples: [
                ExpositionSample(labels: labels(["__name__": "http_requests_total", "method": "post", "code": "200"]),
                                 value: 1027, timestamp: 1_395_066_363_000),
                ExpositionSample(labels: labels(["__name__": "http_requests_total", "method": "get", "code": "400"]), value: 3),
            ]),
            ExpositionFamily(name: "weird", type: .stateset, samples: [
                ExpositionSample(labels: labels(["__name__": "weird", "path": "C:\\dir \"x\"\nnext"]), value: .nan),
                ExpositionSample(labels: labels(["__name__": "weird"]), value: -.infinity, timestamp: -1),
            ]),
            ExpositionFamily(name: "my.metric", type: .gauge, help: "Dotted", samples: [
                ExpositionSample(labels: labels(["__name__": "my.metric", "a.b": "c", "d": "e"]), value: 1e6),
            ]),
        ])
        #expect(writer.text == """
            # HELP http_requests_total Total requests.\\nWith \\\\ backslash.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="post"} 1027 1395066363000
            http_requests_total{code="400",method="get"} 3
            # TYPE weird untyped
            weird{path="C:\\\\dir \\"x\\"\\nnext"} NaN
            weird -Inf -1
            # HELP "my.metric" Dotted
            # TYPE "my.metric" gauge
            {"my.metric","a.b"="c",d="e"} 1e+06

            """)
    }

    @Test func roundTripWriterToParser() throws {
        var rng = SplitMix(seed: 11)
        let values: [Double] = [0, 1, -1, 0.1, 1e6, 1e-7, .pi, 1.7976931348623157e308, .leastNonzeroMagnitude, .infinity, -.infinity, 42.5]
        var families: [ExpositionFamily] = []
        for index in 0..<30 {
            let name = index % 7 == 0 ? "utf8.metric_\(index)" : "metric_\(index)"
            var samples: [ExpositionSample] = []
            for sample in 0..<5 {
                var value = values.randomElement(using: &rng)!
                if sample == 4 { value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng)) }
                if value.isNaN { value = 0.5 }
                let labelValue = ["plain", "with \"quote\"", "back\\slash", "new\nline", "ünïcödé", "{}=,#"][sample % 6]
                samples.append(ExpositionSample(
                    labels: labels(["__name__": name, "instance": labelValue, "i": "\(sample)"]),
                    value: value, timestamp: sample % 2 == 0 ? Int64.random(in: -1_000_000...Int64.max, using: &rng) : nil))
            }
            families.append(ExpositionFamily(name: name, type: [.counter, .gauge, .histogram, .summary, .unknown][index % 5],
                                             help: "Help \(index) with \\ and \n.", samples: samples))
        }
        var writer = TextWriter()
        writer.write(families)
        let (entries, error) = parseAll(writer.output, .text004)
        #expect(error == nil, "\(String(describing: error))")
        var expected: [ParsedEntry] = []
        for family in families {
            expected.append(.help(family.name, family.help!))
            expected.append(.type(family.name, family.type!))
            for sample in family.samples {
                expected.append(.series(sample.labels, sample.value, sample.timestamp))
            }
        }
        #expect(entries == expected)
    }
}
