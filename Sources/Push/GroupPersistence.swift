import Foundation
import PharosCore

/// Where a `GroupStore` keeps its groups across restarts. Push owns this port; an adapter
/// (a file here, a database elsewhere) implements it.
package protocol GroupPersistence: Sendable {
    /// The saved groups; empty when nothing was saved yet.
    func load() throws(PushError) -> [MetricGroup]
    /// Replaces the saved state with `groups`, atomically: a crash leaves the old or the new state.
    func save(_ groups: [MetricGroup]) throws(PushError)
}

/// Keeps groups in one JSON file, written to a temporary sibling, fsynced, then renamed over
/// the old file. Values are stored as bit patterns so NaN and ±Inf survive exactly.
package struct FileGroupPersistence: GroupPersistence {
    package let path: String

    package init(path: String) { self.path = path }

    /// `<dataDirectory>/pushgateway.json`.
    package init(dataDirectory: String) { self.init(path: dataDirectory + "/pushgateway.json") }

    package func load() throws(PushError) -> [MetricGroup] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let file: PersistedFile
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            file = try JSONDecoder().decode(PersistedFile.self, from: data)
        } catch {
            throw PushError(.persistence, "cannot load pushed groups: \(error)", location: path)
        }
        guard file.version == 1 else {
            throw PushError(.persistence, "cannot load pushed groups: version \(file.version); want 1", location: path)
        }
        return try file.groups.map { group throws(PushError) in try group.model(path: path) }
    }

    package func save(_ groups: [MetricGroup]) throws(PushError) {
        let file = PersistedFile(version: 1, groups: groups.map(PersistedGroup.init))
        let temporary = path + ".in_progress"
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(file)
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw PushError(.persistence, "cannot save pushed groups: \(error)", location: path)
        }
    }
}

private struct PersistedFile: Codable {
    var version: Int
    var groups: [PersistedGroup]
}

private struct PersistedGroup: Codable {
    var key: [[String]]
    var families: [PersistedFamily]

    init(_ group: MetricGroup) {
        key = group.key.pairs.map { [$0.name, $0.value] }
        families = group.families.keys.sorted().map { PersistedFamily(group.families[$0]!) }
    }

    func model(path: String) throws(PushError) -> MetricGroup {
        var labels: [String: String] = [:]
        for pair in key where pair.count == 2 { labels[pair[0]] = pair[1] }
        let job = labels.removeValue(forKey: "job") ?? ""
        let groupKey = try GroupingKey(job: job, labels: labels)
        var group = MetricGroup(key: groupKey)
        for family in families {
            guard let type = MetricType(rawValue: family.type) else {
                throw PushError(.persistence, "cannot load pushed groups: unknown type \(goQuote(family.type))", location: path)
            }
            let samples = family.samples.map { sample in
                PushedSample(labels: Labels(sample.labels.compactMap { $0.count == 2 ? Label(name: $0[0], value: $0[1]) : nil }),
                             value: Double(bitPattern: sample.bits))
            }
            group.families[family.name] = PushedFamily(name: family.name, type: type, help: family.help,
                                                       samples: samples, pushedAt: family.pushedAt)
        }
        return group
    }
}

private struct PersistedFamily: Codable {
    var name: String
    var type: String
    var help: String?
    var pushedAt: Int64
    var samples: [PersistedSample]

    init(_ family: PushedFamily) {
        name = family.name
        type = family.type.rawValue
        help = family.help
        pushedAt = family.pushedAt
        samples = family.samples.map { PersistedSample(labels: $0.labels.map { [$0.name, $0.value] }, bits: $0.value.bitPattern) }
    }
}

private struct PersistedSample: Codable {
    var labels: [[String]]
    var bits: UInt64
}
