import Foundation
import Logging
import PharosCore

extension TSDB {
    /// Opens every block folder (a ULID name holding meta.json) under `directory`, oldest
    /// first, and removes leftovers of interrupted writes (`*.tmp`). A block that fails to open
    /// is logged and skipped, never deleted.
    static func loadBlocks(in directory: String, logger: Logger) throws -> [PersistedBlock] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw TSDBError(.io, "cannot list the data directory", location: directory, underlying: error)
        }
        var blocks: [PersistedBlock] = []
        for name in names.sorted() {
            let path = directory + "/" + name
            if name.hasSuffix(".tmp"), ULID(String(name.dropLast(4))) != nil {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            guard ULID(name) != nil, FileManager.default.fileExists(atPath: path + "/meta.json") else { continue }
            do {
                blocks.append(try PersistedBlock(directory: path))
            } catch {
                logger.warning("cannot open block; skipping it", metadata: ["tsdb.block.ulid": "\(name)", "tsdb.error": "\(error)"])
            }
        }
        return discardCompactedParents(blocks, in: directory, logger: logger).sorted { $0.meta.minTime < $1.meta.minTime }
    }

    /// Bytes used by a block folder (all regular files, recursively).
    static func size(ofBlockAt path: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        while let relative = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + relative)
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }

    /// Bytes of every open persisted block.
    func blocksBytes() -> Int64 {
        blocks.reduce(0) { $0 + Self.size(ofBlockAt: $1.directory) }
    }

    /// Deletes blocks beyond the retention limits (time relative to the newest block; size
    /// including the WAL). Returns the deleted blocks. Queriers already holding a deleted
    /// block keep reading it: its files stay mapped until the last reference goes.
    func applyRetention() throws -> [BlockSummary] {
        let current = blocks
        guard !current.isEmpty, options.retentionTime != nil || options.retentionSize != nil else { return [] }
        let summaries = current.map {
            BlockSummary(id: $0.ulid, minTime: $0.meta.minTime, maxTime: $0.meta.maxTime, sizeBytes: Self.size(ofBlockAt: $0.directory))
        }
        let walBytes = options.retentionSize == nil ? 0 : Self.size(ofBlockAt: directory + "/wal")
        let doomed = MaintenancePlan.retention(blocks: summaries, retentionTime: options.retentionTime,
                                               retentionSize: options.retentionSize, extraBytes: walBytes)
        guard !doomed.isEmpty else { return [] }
        let ids = Set(doomed.map(\.id))
        removeBlocks(ids)
        for block in current where ids.contains(block.ulid) {
            do {
                try FileManager.default.removeItem(atPath: block.directory)
            } catch {
                throw TSDBError(.io, "cannot delete block beyond retention", location: block.directory, underlying: error)
            }
            logger.info("block deleted by retention", metadata: ["tsdb.block.ulid": "\(block.ulid)"])
        }
        return doomed
    }
}
