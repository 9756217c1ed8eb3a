import PharosCore
import Synchronization

/// An opened block folder: meta.json, the mapped index and chunk files, and its tombstones.
///
/// Thread-safe. Index and chunks are immutable; tombstones (and with them meta.json's
/// `numTombstones`) change through `delete` only. The throwing methods report damage as
/// `TSDBError` `.corruptBlock`. The `BlockReader` conformance (used by the querier) cannot
/// throw: on damage it returns empty results / nil and records the first error in `firstError`.
package final class PersistedBlock: Sendable {
    struct State {
        var meta: BlockMeta
        var tombstones: Tombstones
    }

    package let directory: String
    package let index: IndexReader
    package let chunkFiles: ChunkFileReader
    let state: Mutex<State>
    /// True once the block has tombstones; lets reads skip the lock in the usual case.
    let hasTombstones: Atomic<Bool>
    private let firstErrorBox = Mutex<TSDBError?>(nil)

    /// Opens the block in `directory`, validating meta.json, the index header/TOC/tables,
    /// every chunk file header and the tombstones file (a missing one means none).
    package init(directory: String) throws(TSDBError) {
        self.directory = directory
        let meta = try BlockMeta.read(directory: directory)
        index = try IndexReader(path: directory + "/index")
        chunkFiles = try ChunkFileReader(directory: directory + "/chunks")
        let tombstones = try TombstonesFile.read(blockDirectory: directory)
        state = Mutex(State(meta: meta, tombstones: tombstones))
        hasTombstones = Atomic(!tombstones.isEmpty)
    }

    /// The block's meta.json as last read or written.
    package var meta: BlockMeta { state.withLock { $0.meta } }

    package var ulid: String { meta.ulid }

    /// A copy of the block's deleted intervals, by series ref of its index.
    package var tombstones: Tombstones {
        hasTombstones.load(ordering: .acquiring) ? state.withLock { $0.tombstones } : Tombstones()
    }

    /// The deleted intervals of `ref` (empty when none).
    package func deletedIntervals(_ ref: UInt64) -> Intervals {
        hasTombstones.load(ordering: .acquiring) ? state.withLock { $0.tombstones[ref] } : Intervals()
    }

    /// The first error the non-throwing `BlockReader` methods swallowed, if any.
    package var firstError: TSDBError? { firstErrorBox.withLock { $0 } }

    /// Labels and the chunks of `ref` overlapping [mint, maxt], oldest first; with
    /// `applyingTombstones` (the default) the deleted samples are left out.
    package func readSeries(_ ref: UInt64, from mint: Timestamp = .min, through maxt: Timestamp = .max,
                            applyingTombstones: Bool = true) throws(TSDBError) -> (labels: Labels, chunks: [ChunkSnapshot]) {
        let entry = try index.series(ref)
        var chunks: [ChunkSnapshot] = []
        for meta in entry.chunks where meta.minTime <= maxt && meta.maxTime >= mint {
            let chunk = try chunkFiles.chunk(meta.ref)
            guard chunk.encoding == XORChunk.encoding else {
                throw TSDBError(.corruptBlock, "chunk \(hex(meta.ref, width: 16)) has encoding \(chunk.encoding); only XOR (1) is supported",
                                location: directory)
            }
            chunks.append(ChunkSnapshot(minTime: meta.minTime, maxTime: meta.maxTime, bytes: chunk.data))
        }
        guard applyingTombstones else { return (entry.labels, chunks) }
        return (entry.labels, ChunkSnapshot.removing(deletedIntervals(ref), from: chunks))
    }

    private func record(_ error: TSDBError) {
        firstErrorBox.withLock { if $0 == nil { $0 = error } }
    }
}

extension PersistedBlock: BlockReader {
    package var minTime: Timestamp { meta.minTime }
    /// meta.json's maxTime is exclusive; the protocol's is inclusive.
    package var maxTime: Timestamp { meta.maxTime &- 1 }

    package func postings(_ name: String, values: [String]) -> [UInt64] {
        do throws(TSDBError) {
            return Postings.merge(try values.map { value throws(TSDBError) in try index.postings(name, value) })
        } catch {
            record(error)
            return []
        }
    }

    package func allPostings() -> [UInt64] {
        do throws(TSDBError) { return try index.allPostings() } catch {
            record(error)
            return []
        }
    }

    package func labelNames() -> [String] { index.labelNames }

    package func labelValues(_ name: String) -> [String] { index.labelValues(name) }

    package func series(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> (labels: Labels, chunks: [ChunkSnapshot])? {
        do throws(TSDBError) { return try readSeries(ref, from: mint, through: maxt) } catch {
            record(error)
            return nil
        }
    }

    /// From the index's chunk metas and the tombstones alone.
    package func listedLabels(_ ref: UInt64, from mint: Timestamp, through maxt: Timestamp) -> Labels? {
        do throws(TSDBError) {
            let entry = try index.series(ref)
            let deleted = deletedIntervals(ref)
            return entry.chunks.contains { $0.minTime <= maxt && $0.maxTime >= mint && !deleted.covers($0.minTime, $0.maxTime) }
                ? entry.labels : nil
        } catch {
            record(error)
            return nil
        }
    }

    package var readWarning: String? { firstError.map { "reading block \(ulid): \($0)" } }
}
