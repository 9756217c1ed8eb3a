import Foundation
import Logging

/// A JSON-lines state file in the data folder: records are appended one per line (cheap, and a
/// `kill -9` loses at most a torn last line) and the file is rewritten whole, atomically (temp
/// file + rename), when compacted.
///
/// Loading skips a torn last line; a file that cannot be read otherwise is reported through
/// the logger and moved aside to `NAME.corrupt-<unix seconds>`, and loading starts empty — a
/// corrupt file never causes a crash loop. Not thread-safe: its owner serialises calls.
package struct StateFile<Record: Codable>: Sendable {
    package let path: String
    package let logger: Logger

    package init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Every record in file order.
    package func load() -> [Record] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [] }
        let decoder = Self.decoder
        var records: [Record] = []
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        for (index, line) in lines.enumerated() {
            do {
                records.append(try decoder.decode(Record.self, from: Data(line)))
            } catch {
                let isTornTail = index == lines.count - 1 && data.last != UInt8(ascii: "\n")
                if isTornTail {
                    logger.warning("Dropping a torn last record of a state file", metadata: ["alerting.state.file": "\(path)"])
                    break
                }
                moveAside(reason: "line \(index + 1): \(error)")
                return []
            }
        }
        return records
    }

    /// Appends `records`, one line each.
    package func append(_ records: [Record]) throws {
        guard !records.isEmpty else { return }
        var data = Data()
        let encoder = Self.encoder
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingAtPath: path).unwrap(path)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }

    /// Replaces the file's contents with `records`, atomically.
    package func rewrite(_ records: [Record]) throws {
        var data = Data()
        let encoder = Self.encoder
        for record in records {
            data.append(try encoder.encode(record))
            data.append(UInt8(ascii: "\n"))
        }
        let temp = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temp))
        if rename(temp, path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    private func moveAside(reason: String) {
        let aside = path + ".corrupt-\(Int(Date().timeIntervalSince1970))"
        let moved = rename(path, aside) == 0
        logger.error("State file is corrupt; moved aside, starting empty", metadata: [
            "alerting.state.file": "\(path)", "alerting.state.moved_to": "\(moved ? aside : "")",
            "alerting.state.error": "\(reason)",
        ])
    }

    /// The encoding every store uses for its records (dates as milliseconds since 1970).
    package static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    package static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }
}

extension Optional where Wrapped == FileHandle {
    fileprivate func unwrap(_ path: String) throws -> FileHandle {
        guard let self else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        return self
    }
}
