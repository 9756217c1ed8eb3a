import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a peer (pharos, prometheus, promtool, python3) could not be used; one line.
package struct PeerError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }
}

/// A long-running child process (pharos, prometheus, a Python test app) whose stdout and
/// stderr go to a log file. `stop()` is idempotent; call it from `defer` so a failing test
/// never leaves the process behind.
package final class PeerProcess: @unchecked Sendable {
    package let process: Process
    package let logPath: String
    package let name: String

    /// Starts `executable` (which must exist: a missing peer is a test failure, never a skip).
    package init(_ executable: String, _ arguments: [String], logPath: String,
                 currentDirectory: String? = nil, environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw PeerError("\(executable): peer binary is missing: run scripts/install-test-deps.sh")
        }
        name = URL(fileURLWithPath: executable).lastPathComponent
        self.logPath = logPath
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit { stop() }

    package var isRunning: Bool { process.isRunning }
    package var pid: Int32 { process.processIdentifier }

    /// Everything the process logged so far.
    package var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log until it contains `pattern`; throws (with the log) on timeout or exit.
    @discardableResult
    package func waitForLog(containing pattern: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = log
            if text.contains(pattern) { return text }
            if !process.isRunning {
                throw PeerError("\(name) exited (status \(process.terminationStatus)) before logging \"\(pattern)\"; log:\n\(text)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("\(name) did not log \"\(pattern)\" within \(timeout); log:\n\(log)")
    }

    /// SIGKILL now and reap: the process gets no chance to flush anything.
    package func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, up to `grace` to exit, then SIGKILL. Idempotent.
    package func stop(grace: Duration = .seconds(10)) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        kill9()
    }
}

/// The peers tests may use, each checked before use with a clear message.
package enum Peers {
    package static let promtool = "/usr/bin/promtool"
    package static let prometheus = "/usr/bin/prometheus"
    /// Debian's prometheus-alertmanager (0.25): the server and its CLI, amtool.
    package static let alertmanager = "/usr/bin/prometheus-alertmanager"
    package static let amtool = "/usr/bin/amtool"
    /// Debian's dnsmasq-base, a DNS server for DNS SD tests.
    package static let dnsmasq = "/usr/sbin/dnsmasq"

    /// The repository's checkout (the folder holding Package.swift), found from this file.
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The test virtual environment's `python3` (`.venv/bin/python3`, made by
    /// scripts/install-test-deps.sh from Debian's python3 with scripts/requirements-test.txt).
    package static func python3() throws -> String {
        let candidate = repositoryRoot.appendingPathComponent(".venv/bin/python3").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw PeerError("\(candidate) is missing: run scripts/install-test-deps.sh")
        }
        return candidate
    }

    /// The built `pharos` executable beside the test bundle in the build folder.
    package static func pharos() throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("pharos").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw PeerError("the pharos executable is not built next to the tests: run `swift build --build-tests` first")
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (for peers that need a fixed port).
    package static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError("socket(): errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw PeerError("bind(127.0.0.1:0): errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a short-lived tool to completion (killed after `timeout`); returns status and
    /// combined stdout+stderr.
    package static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                            timeout: Duration = .seconds(60)) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw PeerError("\(executable): peer binary is missing: run scripts/install-test-deps.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        let timer = DispatchWorkItem { [process] in if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000)), execute: timer)
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        timer.cancel()
        return (process.terminationStatus, text)
    }
}
