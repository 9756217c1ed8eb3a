import Foundation
import Logging
import NIOCore
import PharosServer
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(10))) struct ProcessStatsTests {
    static let stat = "4242 (pharos (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 150 0 0 20 0 9 0 5000 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"

    @Test func parsesStatWithSpacesAndParensInName() throws {
        let stats = try ProcessStats.parseStat(Self.stat, ticksPerSecond: 100, pageSize: 4096, bootTimeSeconds: 1_700_000_000)
        #expect(stats.cpuSeconds == 4.0)
        #expect(stats.startTimeSeconds == 1_700_000_050)
        #expect(stats.virtualMemoryBytes == 123_456_789)
        #expect(stats.residentMemoryBytes == 2048 * 4096)
    }

    @Test func truncatedStatIsAnErrorAtEveryLength() {
        // Every prefix that stops before field 24 (rss) must throw, never crash.
        let cut = Self.stat.range(of: " 2048 ")!.lowerBound
        for length in 0...Self.stat.distance(from: Self.stat.startIndex, to: cut) {
            let prefix = String(Self.stat.prefix(length))
            #expect(throws: ServerError.self) {
                try ProcessStats.parseStat(prefix, ticksPerSecond: 100, pageSize: 4096, bootTimeSeconds: 0)
            }
        }
    }

    @Test func corruptedFieldIsAnError() {
        let corrupted = Self.stat.replacingOccurrences(of: " 250 150 ", with: " 2x0 150 ")
        do {
            _ = try ProcessStats.parseStat(corrupted, ticksPerSecond: 100, pageSize: 4096, bootTimeSeconds: 0)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == #"/proc/self/stat: cannot parse field 14 from "2x0""#)
        }
    }

    @Test func bootTimeAndLimits() throws {
        #expect(try ProcessStats.parseBootTime("cpu  1 2 3\nbtime 1700000000\nprocesses 5\n") == 1_700_000_000)
        #expect(throws: ServerError.self) { try ProcessStats.parseBootTime("cpu 1\n") }
        let limits = "Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n"
        #expect(try ProcessStats.parseMaxFDs(limits) == 1024)
        #expect(throws: ServerError.self) { try ProcessStats.parseMaxFDs("Max processes 10 10\n") }
    }

    @Test func liveProcessIsReadable() throws {
        let stats = try ProcessStats.current()
        #expect(stats.residentMemoryBytes > 0)
        #expect(stats.openFDs >= 3)
        #expect(stats.maxFDs >= stats.openFDs)
        #expect(stats.startTimeSeconds > 1_600_000_000)
    }

    @Test func cpuCounterOnlyGrows() {
        let cpu = Mutex<Double>(5)
        let metrics = ServerMetrics(readProcess: { ProcessStats(cpuSeconds: cpu.withLock { $0 }) })
        func cpuLine() -> String? {
            String(buffer: metrics.render()).split(separator: "\n").first { $0.hasPrefix("process_cpu_seconds_total ") }.map(String.init)
        }
        #expect(cpuLine() == "process_cpu_seconds_total 5.0")
        cpu.withLock { $0 = 7.5 }
        #expect(cpuLine() == "process_cpu_seconds_total 7.5")
        cpu.withLock { $0 = 1 }  // a lower reading never decreases the counter
        #expect(cpuLine() == "process_cpu_seconds_total 7.5")
        metrics.recordConfigReload(success: false, atSeconds: 1)
        #expect(String(buffer: metrics.render()).contains("\npharos_config_last_reload_successful 0.0\n"))
    }
}

@Suite(.timeLimit(.minutes(10))) struct LogRecordTests {
    func event(_ message: Logger.Message, metadata: Logger.Metadata? = nil) -> LogEvent {
        LogEvent(level: .warning, message: message, metadata: metadata, source: "PharosServer", file: "Sources/PharosServer/X.swift",
                 function: "f()", line: 12)
    }

    let now = Date(timeIntervalSince1970: 1_435_781_451.781)

    @Test func logfmtQuotesWhereNeeded() {
        let fields = LogRecord.fields(event("Server is \"ready\"", metadata: ["b.key": "plain", "a.key": "has space"]),
                                      label: "pharos", metadata: ["z": "x=y"], now: now)
        #expect(LogRecord.logfmt(fields) ==
            #"time=2015-07-01T20:10:51.781Z level=WARN source=X.swift:12 msg="Server is \"ready\"" logger=pharos a.key="has space" b.key=plain z="x=y""#)
    }

    @Test func jsonLine() {
        let fields = LogRecord.fields(event("line\nbreak"), label: "", metadata: [:], now: now)
        #expect(LogRecord.json(fields) ==
            #"{"time":"2015-07-01T20:10:51.781Z","level":"WARN","source":"X.swift:12","msg":"line\nbreak"}"#)
    }

    @Test func handlerFiltersAndWritesWholeLines() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "t") { label in
            PharosLogHandler(label: label, level: .info, format: .logfmt, sink: { line in lines.withLock { $0.append(line) } })
        }
        logger[metadataKey: "component"] = "tsdb"
        logger.debug("hidden")
        logger.info("shown", metadata: ["n": "1"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = written.first ?? ""
        #expect(line.hasSuffix(" level=INFO source=ServerUnitTests.swift:\(#line - 4) msg=shown logger=t component=tsdb n=1\n"), "\(line)")
    }

    @Test(arguments: [("debug", Logger.Level.debug), ("info", .info), ("warn", .warning), ("error", .error)])
    func levelFlags(_ flag: String, _ level: Logger.Level) {
        #expect(Logger.Level(flag: flag) == level)
    }
}

@Suite(.timeLimit(.minutes(10))) struct ServerOptionsTests {
    @Test(arguments: [
        ("127.0.0.1:9090", "127.0.0.1", 9090), (":9090", "0.0.0.0", 9090), ("[::1]:80", "::1", 80), ("localhost:0", "localhost", 0),
    ])
    func listenAddress(_ text: String, _ host: String, _ port: Int) throws {
        let parsed = try ServerOptions.parseListenAddress(text)
        #expect(parsed.host == host)
        #expect(parsed.port == port)
    }

    @Test(arguments: ["localhost", "host:", "host:http", "host:70000", "::1:80", "[::1:80", ""])
    func badListenAddress(_ text: String) {
        #expect(throws: ServerError.self) { try ServerOptions.parseListenAddress(text) }
    }

    @Test func byteSizes() throws {
        #expect(try ServerOptions.parseByteSize("") == 0)
        #expect(try ServerOptions.parseByteSize("512MB") == 512 << 20)
        #expect(try ServerOptions.parseByteSize("1gb") == 1 << 30)
        #expect(try ServerOptions.parseByteSize("100") == 100)
        #expect(throws: ServerError.self) { try ServerOptions.parseByteSize("12XB") }
        #expect(throws: ServerError.self) { try ServerOptions.parseByteSize("-1GB") }
        #expect(throws: ServerError.self) { try ServerOptions.parseByteSize("99999999EB") }
    }
}

@Suite(.timeLimit(.minutes(10))) struct ReadinessGateTests {
    @Test func waitersResumeOnReady() async {
        let gate = ReadinessGate()
        #expect(!gate.isStarted && !gate.isReady)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { await gate.waitUntilReady() } }
            gate.markStarted()
            #expect(gate.isStarted && !gate.isReady)
            gate.markReady()
            await group.waitForAll()
        }
        #expect(gate.isReady)
        await gate.waitUntilReady()  // returns at once once ready
    }

    @Test func configLoadFailureIsReported() throws {
        var options = ServerOptions()
        options.configFile = "/nonexistent/pharos.yml"
        let server = PharosServer(options: options)
        #expect(throws: ServerError.self) { try server.loadConfig() }
        #expect(String(buffer: server.metrics.render()).contains("\npharos_config_last_reload_successful 0.0\n"))
    }
}
