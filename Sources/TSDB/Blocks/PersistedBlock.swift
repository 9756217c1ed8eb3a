import PharosCore
import Synchronization

/// An opened, immutable block folder: meta.json, the mapped index and chunk files.
///
/// Thread-safe. The throwing methods report damage as `TSDBError` `.corruptBlock`. The
/// `BlockReader` conformance (used by the querier) cannot throw: on damage it returns empty
/// results / nil and records the first error in `firstError`.
package final class PersistedBlock: Sendable {
    package let directory: String
    package let meta: BlockMeta
    package let index: IndexReader
    package let chunkFiles: ChunkFileReader
    private let firstErrorBox = Mutex<TSDBError?>(nil)

    /// Opens the block in `directory`, validating meta.json, the index header/TOC/tables and
    /// every chunk file header.
    package init(directory: String) throws(TSDBError) {
        self.directory = directory
        meta = try BlockMeta.read(directory: directory)
        index = try IndexReader(path: directory + "/index")
        chunkFiles = try ChunkFileReader(directory: directory + "/chunks")
    }

    package var ulid: String { meta.ulid }

    /// The first error the non-throwing `BlockReader` methods swallowed, if any.
    package var firstError: TSDBError? { firstErrorBox.withLock { $0 } }

    /// Labels and the chunks of `ref` overlapping [mint, maxt], oldest first.
    package func readSeries(_ ref: UInt64, from mint: Timestamp = .min, through maxt: Timestamp = .max) throws(TSDBError) -> (labels: Labels, chunks: [ChunkSnapshot]) {
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
        return (entry.labels, chunks)
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
}
