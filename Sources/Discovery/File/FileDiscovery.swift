import Foundation
import Logging
import PharosConfig

/// The state of one `file_sd_configs` entry (Prometheus' `discovery/file`), pure of timing:
/// `FileDiscoverer` calls `refresh` on its schedule.
///
/// `refresh()` expands the globs, re-reads a file only when its modification time or size
/// changed (or when `force`), forgets files that disappeared, and keeps a file's previous
/// groups when it cannot be read or parsed (logging the positioned error). Each group carries
/// `__meta_filepath`. A value; not thread-safe.
package struct FileDiscovery: Sendable {
    package let config: FileSDConfig
    private var files: [String: (stamp: FileStamp, groups: [TargetGroup])] = [:]
    /// Errors of the last refresh, one per bad file.
    package private(set) var errors: [DiscoveryError] = []
    /// Sources of the groups each file had at the last refresh that changed it, so a shrunk or
    /// removed file yields empty groups for the sources it lost.
    private var lastSources: Set<String> = []

    package init(config: FileSDConfig) { self.config = config }

    /// All groups of all files, files in path order.
    package var groups: [TargetGroup] {
        files.keys.sorted().flatMap { files[$0]!.groups }
    }

    /// `groups` plus an empty group for every source an earlier `update()` sent that is gone,
    /// so a consumer merging by source drops it (Prometheus' file SD does the same).
    package mutating func update() -> [TargetGroup] {
        let current = groups
        let sources = Set(current.map(\.source))
        let gone = lastSources.subtracting(sources).sorted().map { TargetGroup(targets: [], source: $0) }
        lastSources = sources
        return current + gone
    }

    /// Re-reads changed files. - Returns: whether the groups changed.
    @discardableResult
    package mutating func refresh(force: Bool = false, logger: Logger? = nil) -> Bool {
        var seen = Set<String>()
        var changed = false
        errors = []
        for pattern in config.files {
            for path in Glob.paths(matching: pattern) where seen.insert(path).inserted {
                let stamp = FileStamp(path: path)
                if !force, let known = files[path], known.stamp == stamp { continue }
                do {
                    let groups = try FileSD.read(path)
                    if files[path]?.groups != groups { changed = true }
                    files[path] = (stamp, groups)
                } catch {
                    let failure = DiscoveryError(.parse, location: path, error.description)
                    errors.append(failure)
                    logger?.error("Error reading file", metadata: ["discovery.path": "\(path)", "error": "\(error)"])
                    // Keep the previous groups; remember the stamp so a bad file is not re-read every poll.
                    if let known = files[path] { files[path] = (stamp, known.groups) }
                }
            }
        }
        for path in files.keys where !seen.contains(path) {
            files[path] = nil
            changed = true
        }
        return changed
    }
}

/// What decides that a file changed: modification time and size.
struct FileStamp: Equatable, Sendable {
    var modified: Date?
    var size: Int64

    init(path: String) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        modified = attributes?[.modificationDate] as? Date
        size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
    }
}
