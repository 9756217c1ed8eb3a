import Foundation

/// A block's `meta.json` (Docs/formats/chunks.md), field names as Prometheus writes them.
///
/// `minTime` is inclusive, `maxTime` exclusive.
package struct BlockMeta: Codable, Hashable, Sendable {
    package struct Stats: Codable, Hashable, Sendable {
        package var numSamples: UInt64 = 0
        package var numSeries: UInt64 = 0
        package var numChunks: UInt64 = 0
        /// Intervals in the block's tombstones file; nil (left out of the JSON) when none.
        package var numTombstones: UInt64?

        package init(numSamples: UInt64 = 0, numSeries: UInt64 = 0, numChunks: UInt64 = 0, numTombstones: UInt64? = nil) {
            self.numSamples = numSamples
            self.numSeries = numSeries
            self.numChunks = numChunks
            self.numTombstones = numTombstones
        }
    }

    package struct Parent: Codable, Hashable, Sendable {
        package var ulid: String
        package var minTime: Int64
        package var maxTime: Int64

        package init(ulid: String, minTime: Int64, maxTime: Int64) {
            self.ulid = ulid
            self.minTime = minTime
            self.maxTime = maxTime
        }
    }

    package struct Compaction: Codable, Hashable, Sendable {
        package var level: Int = 1
        package var sources: [String] = []
        package var parents: [Parent]? = nil

        package init(level: Int = 1, sources: [String] = [], parents: [Parent]? = nil) {
            self.level = level
            self.sources = sources
            self.parents = parents
        }
    }

    package var ulid: String
    package var minTime: Int64
    package var maxTime: Int64
    package var stats: Stats
    package var compaction: Compaction
    package var version: Int = 1

    package init(ulid: String, minTime: Int64, maxTime: Int64, stats: Stats = Stats(),
                 compaction: Compaction = Compaction(), version: Int = 1) {
        self.ulid = ulid
        self.minTime = minTime
        self.maxTime = maxTime
        self.stats = stats
        self.compaction = compaction
        self.version = version
    }

    /// Pretty-printed JSON with sorted keys.
    package func encoded() throws(TSDBError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { return Array(try encoder.encode(self)) } catch {
            throw TSDBError(.io, "cannot encode meta.json: \(error)", location: ulid)
        }
    }

    /// Reads and validates `meta.json` in `directory` (version 1, valid ULID, minTime ≤ maxTime).
    package static func read(directory: String) throws(TSDBError) -> BlockMeta {
        let path = directory + "/meta.json"
        let bytes: [UInt8]
        do { bytes = try PosixFile.readAll(path) } catch {
            throw TSDBError(.io, error.message, location: path, underlying: error)
        }
        let meta: BlockMeta
        do { meta = try JSONDecoder().decode(BlockMeta.self, from: Data(bytes)) } catch {
            throw TSDBError(.corruptBlock, "cannot parse meta.json: \(error)", location: path)
        }
        guard meta.version == 1 else { throw TSDBError(.corruptBlock, "unsupported meta.json version \(meta.version); want 1", location: path) }
        guard ULID(meta.ulid) != nil else { throw TSDBError(.corruptBlock, "invalid ULID \"\(meta.ulid)\"", location: path) }
        guard meta.minTime <= meta.maxTime else {
            throw TSDBError(.corruptBlock, "minTime \(meta.minTime) is after maxTime \(meta.maxTime)", location: path)
        }
        return meta
    }
}
