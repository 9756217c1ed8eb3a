import Foundation

/// Runs a short-lived tool with posix_spawn and reaps it with waitpid: Foundation's `Process`
/// can miss a SIGCHLD while peers started by `PeerProcess` run, leaving `waitUntilExit` stuck
/// until another child exits. stdin comes from `stdinFile`; stdout and stderr go to a file.
func spawnAndWait(_ executable: String, _ arguments: [String], stdinFile: String? = nil) throws -> (status: Int32, output: String) {
    guard FileManager.default.isExecutableFile(atPath: executable) else {
        throw NSError(domain: "ProbesTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(executable): peer binary is missing: run scripts/install-test-deps.sh"])
    }
    let outputFile = NSTemporaryDirectory() + "/probes-spawn-\(UUID().uuidString).log"
    defer { try? FileManager.default.removeItem(atPath: outputFile) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdinFile ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw NSError(domain: "ProbesTests", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(executable): \(spawned)"]) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, output)
}

/// A peer started with posix_spawn and stopped with SIGKILL + waitpid, out of Foundation's
/// child bookkeeping (whose missed exits left `PeerProcess.kill9()` waiting forever here).
final class SpawnedPeer: @unchecked Sendable {
    let pid: pid_t
    let logPath: String

    init(_ executable: String, _ arguments: [String], logPath: String) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw NSError(domain: "ProbesTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(executable): peer binary is missing: run scripts/install-test-deps.sh"])
        }
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw NSError(domain: "ProbesTests", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(executable): \(spawned)"]) }
        self.pid = pid
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log for `pattern`; throws with the log on timeout or exit.
    func waitForLog(containing pattern: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.contains(pattern) { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw NSError(domain: "ProbesTests", code: 2, userInfo: [NSLocalizedDescriptionKey: "peer exited before logging \"\(pattern)\"; log:\n\(log)"])
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NSError(domain: "ProbesTests", code: 3, userInfo: [NSLocalizedDescriptionKey: "peer did not log \"\(pattern)\" within \(timeout); log:\n\(log)"])
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    deinit { stop() }
}
