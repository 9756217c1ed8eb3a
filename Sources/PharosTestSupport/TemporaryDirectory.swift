import Foundation

/// A fresh directory under the system temp folder, removed by `remove()` or `withTemporaryDirectory`.
package struct TemporaryDirectory: Sendable {
    package let path: String

    package init(prefix: String = "pharos-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/" + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    package func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with the path of a fresh temporary directory, removed afterwards.
package func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try await body(directory.path)
}

/// `withTemporaryDirectory` for a synchronous body.
package func withTemporaryDirectoryBlocking<R>(_ body: (String) throws -> R) throws -> R {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try body(directory.path)
}

/// The `shared/conformance` folder beside the repository (CI lays `shared/` next to the clone).
package enum Conformance {
    package static var root: String {
        if let override = ProcessInfo.processInfo.environment["PHAROS_CONFORMANCE"] { return override }
        // #filePath is …/Sources/PharosTestSupport/TemporaryDirectory.swift → repo is 3 up.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/conformance").path
    }

    package static func path(_ relative: String) -> String { root + "/" + relative }
}
