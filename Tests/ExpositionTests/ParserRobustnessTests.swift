import Exposition
import PharosCore
import PharosTestSupport
import Testing

/// Truncated, drip-fed and corrupted bodies: never crash, never hang, always a positioned error.
@Suite(.timeLimit(.minutes(5))) struct ParserRobustnessTests {
    static func checkPositioned(_ error: ExpositionError, in bytes: [UInt8]) {
        #expect(error.offset >= 0 && error.offset <= bytes.count)
        #expect((error.line ?? 0) >= 1)
        #expect((error.column ?? 0) >= 1)
        #expect(error.description.hasPrefix("line \(error.line ?? 0), column \(error.column ?? 0): "))
        let newlines = bytes[..<min(error.offset, bytes.count)].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        #expect(error.line == newlines + 1, "\(error)")
    }

    /// Every prefix parses to a prefix of the full result (the last entry of a prefix may be a
    /// shortened line), and OpenMetrics prefixes without `# EOF` fail with a positioned error.
    @Test(arguments: [
        ("promtool/metrics-test.prom", ExpositionFormat.text004),
        ("textparse/alltypes.5mfs.om.txt", .openMetrics),
        ("promtool/dump-openmetrics-roundtrip-test.prom", .openMetrics),
    ])
    func truncatedAtEveryOffset(_ file: String, _ format: ExpositionFormat) throws {
        let bytes = try FixtureTests.load(file)
        let full = parseAll(bytes, format)
        #expect(full.error == nil)
        let eofAt = bytes.count - "# EOF\n".utf8.count
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            let (entries, error) = parseAll(prefix, format)
            let stable = max(0, entries.count - 1)
            #expect(Array(entries.prefix(stable)) == Array(full.entries.prefix(stable)), "prefix \(length)")
            if let error { Self.checkPositioned(error, in: prefix) }
            if format == .openMetrics && length < eofAt + 5 {
                #expect(error != nil, "prefix \(length) has no # EOF yet parsed cleanly")
            }
        }
    }

    /// Drip-fed: growing the input one byte at a time never changes entries that were already
    /// complete (a line is complete once its newline has arrived).
    @Test func dripFedOneByteAtATime() throws {
        let bytes = try FixtureTests.load("textparse/1histogram.om.txt")
        let full = parseAll(bytes, .openMetrics).entries
        var completed = 0
        for length in 1...bytes.count where bytes[length - 1] == 10 || length == bytes.count {
            let (entries, _) = parseAll(Array(bytes[..<length]), .openMetrics)
            #expect(entries.count >= completed)
            #expect(Array(entries.prefix(completed)) == Array(full.prefix(completed)))
            completed = entries.count
        }
        #expect(completed == full.count)
    }

    @Test(arguments: [
        ("textparse/alltypes.5mfs.om.txt", ExpositionFormat.openMetrics, UInt64(1)),
        ("textparse/alltypes.5mfs.om.txt", .text004, 2),
        ("promtool/metrics-test.prom", .text004, 3),
        ("promtool/metrics-test.prom", .openMetrics, 4),
    ])
    func randomMutationsNeverCrash(_ file: String, _ format: ExpositionFormat, _ seed: UInt64) throws {
        let original = try FixtureTests.load(file)
        var rng = SplitMix(seed: seed)
        var failures = 0
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) { bytes = mutate(bytes, using: &rng) }
            let (_, error) = parseAll(bytes, format)
            if let error {
                failures += 1
                Self.checkPositioned(error, in: bytes)
            }
        }
        #expect(failures > 0)
    }

    @Test func randomGarbageNeverCrashes() {
        var rng = SplitMix(seed: 42)
        for _ in 0..<3000 {
            let count = Int.random(in: 0..<64, using: &rng)
            let alphabet: [UInt8] = Array("ab{}\"=, \n#\\1.eE+-IinfNa_:".utf8) + [0xC3, 0xA9, 0xFF]
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng)! }
            for format in [ExpositionFormat.text004, .openMetrics] {
                let (_, error) = parseAll(bytes, format)
                if let error { Self.checkPositioned(error, in: bytes) }
            }
        }
    }
}
