import Foundation
import PharosConfig
import PharosTestSupport
@testable import Probes
import Testing

/// The postgres and redis probers against real servers started on 127.0.0.1 (Debian's
/// PostgreSQL 15 with a password; redis-server with and without `requirepass`), and the
/// disk and memory probers on this machine.
extension ProbesLiveTests {
@Suite(.timeLimit(.minutes(3))) struct DatabaseProberTests {
    static let postgresBin = "/usr/lib/postgresql/15/bin"

    static func run(_ module: String, _ target: String, yaml: String) async throws -> ProbeOutcome {
        let modules = try ProbesConfig.parseBlackbox(yaml, file: "modules.yml")
        let found = try #require(modules.first { $0.0 == module }?.1)
        return await ProbeRunner().run(moduleName: module, module: found, target: target, timeoutSeconds: 10)
    }

    @Test func postgresConnectsAndQueries() async throws {
        try await withTemporaryDirectory { folder in
            let port = try Peers.freePort()
            try "s3cret\n".write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
            // PostgreSQL refuses to run as root: as root, run it as nobody (setpriv execs, so killing it kills the server).
            let asRoot = getuid() == 0
            if asRoot { _ = try spawnAndWait("/usr/bin/chown", ["-R", "nobody", folder]) }
            func command(_ tool: String) -> (String, [String]) {
                asRoot ? ("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", Self.postgresBin + "/" + tool]) : (Self.postgresBin + "/" + tool, [])
            }
            let (initdbPath, initdbPrefix) = command("initdb")
            let initdb = try spawnAndWait(initdbPath, initdbPrefix + ["-D", folder + "/data", "-U", "pharos", "--pwfile=\(folder)/pw",
                                                                        "--auth=scram-sha-256", "-E", "UTF8"])
            try #require(initdb.status == 0, "initdb failed: \(initdb.output)")
            let (postgresPath, postgresPrefix) = command("postgres")
            let server = try SpawnedPeer(postgresPath, postgresPrefix + ["-D", folder + "/data", "-p", "\(port)", "-k", folder,
                                                                           "-c", "listen_addresses=127.0.0.1"], logPath: folder + "/postgres.log")
            defer { server.stop() }
            try await server.waitForLog(containing: "ready to accept connections")
            let yaml = """
                modules:
                  db: {prober: postgres, postgres: {username: pharos, password: s3cret, database: postgres, query: "SELECT 1 UNION SELECT 2"}}
                  wrong: {prober: postgres, postgres: {username: pharos, password: nope, database: postgres}}
                  badsql: {prober: postgres, postgres: {username: pharos, password: s3cret, database: postgres, query: "SELEC 1"}}
                """
            let good = try await Self.run("db", "127.0.0.1:\(port)", yaml: yaml)
            #expect(good.success, "\(good.log.text)")
            #expect(good.registry.value("probe_postgres_rows") == 2)
            let wrong = try await Self.run("wrong", "127.0.0.1:\(port)", yaml: yaml)
            #expect(!wrong.success)
            #expect(wrong.log.text.contains("Error connecting to PostgreSQL"))
            let bad = try await Self.run("badsql", "127.0.0.1:\(port)", yaml: yaml)
            #expect(!bad.success)
            #expect(bad.log.text.contains("Query failed"))
        }
    }

    @Test func redisPingWithAndWithoutPassword() async throws {
        try await withTemporaryDirectory { folder in
            let open = try Peers.freePort(), locked = try Peers.freePort()
            let a = try SpawnedPeer("/usr/bin/redis-server", ["--port", "\(open)", "--bind", "127.0.0.1", "--save", "", "--dir", folder],
                                    logPath: folder + "/a.log")
            defer { a.stop() }
            let b = try SpawnedPeer("/usr/bin/redis-server", ["--port", "\(locked)", "--bind", "127.0.0.1", "--save", "", "--dir", folder,
                                                              "--requirepass", "hunter2"], logPath: folder + "/b.log")
            defer { b.stop() }
            try await a.waitForLog(containing: "Ready to accept connections")
            try await b.waitForLog(containing: "Ready to accept connections")
            let yaml = """
                modules:
                  cache: {prober: redis}
                  auth: {prober: redis, redis: {password: hunter2}}
                  badauth: {prober: redis, redis: {password: wrong}}
                """
            #expect(try await Self.run("cache", "127.0.0.1:\(open)", yaml: yaml).success)
            let noAuth = try await Self.run("cache", "127.0.0.1:\(locked)", yaml: yaml)
            #expect(!noAuth.success)
            #expect(noAuth.log.text.contains("NOAUTH"))
            #expect(try await Self.run("auth", "127.0.0.1:\(locked)", yaml: yaml).success)
            #expect(!(try await Self.run("badauth", "127.0.0.1:\(locked)", yaml: yaml).success))
            #expect(!(try await Self.run("cache", "127.0.0.1:1", yaml: yaml).success))
        }
    }

    @Test func diskAndMemory() async throws {
        let yaml = """
            modules:
              root: {prober: disk, disk: {min_free_percent: 0}}
              full: {prober: disk, disk: {min_free_percent: 100}}
              mem: {prober: memory, memory: {min_available_percent: 0}}
            """
        let root = try await Self.run("root", "/", yaml: yaml)
        #expect(root.success)
        #expect((root.registry.value("probe_disk_size_bytes") ?? 0) > 0)
        #expect(!(try await Self.run("full", "/", yaml: yaml).success))
        #expect(!(try await Self.run("root", "/no/such/path", yaml: yaml).success))
        let mem = try await Self.run("mem", "localhost", yaml: yaml)
        #expect(mem.success)
        #expect((mem.registry.value("probe_memory_total_bytes") ?? 0) > 0)
    }

    /// A target that never answers is cut at the timeout; the runner returns promptly.
    @Test func hangingTargetIsCutAtTheTimeout() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        listen(listener, 16)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let modules = try ProbesConfig.parseBlackbox("modules:\n  h: {prober: http}\n  r: {prober: redis}\n", file: "m.yml")
        for (name, module) in modules {
            let start = ContinuousClock.now
            let outcome = await ProbeRunner().run(moduleName: name, module: module, target: "127.0.0.1:\(port)", timeoutSeconds: 1)
            #expect(!outcome.success)
            #expect(ContinuousClock.now - start < .seconds(3), "\(name) took \(ContinuousClock.now - start)")
        }
    }
}
}
