import PharosCore

/// Knobs of the embedded TSDB, with Prometheus' defaults.
package struct TSDBOptions: Sendable {
    /// Blocks whose data ends more than this before the newest data are deleted (default 15d;
    /// nil keeps data forever unless `retentionSize` applies).
    package var retentionTime: PrometheusDuration? = PrometheusDuration(milliseconds: 15 * 24 * 3_600_000)
    /// Oldest blocks are deleted while blocks take more bytes than this (nil: no limit).
    package var retentionSize: Int64?
    /// Width of a head-compacted block, and of a head chunk's window (default 2h).
    package var blockRange: Int64 = 2 * 3_600_000
    /// Nominal WAL segment size (default 128 MiB, a multiple of 32 KiB).
    package var walSegmentSize = 128 * 1024 * 1024
    /// Snappy-compress WAL records and checkpoints (`--storage.tsdb.wal-compression`, default
    /// on as in Prometheus 2.20+). Either way, replay reads compressed and plain records alike.
    package var walCompression = true
    /// fsync the WAL on every commit (durable against power loss, slower). Off by default, as
    /// in Prometheus: a commit is then durable against the process dying.
    package var syncOnCommit = false
    /// Largest block the compactor builds (nil: a tenth of `retentionTime`, at most 31 days).
    package var maxBlockDuration: Int64?
    /// Lock stripes of the head's series map.
    package var headStripes = 1024
    /// Slots of the head's exemplar ring (`storage.exemplars.max_exemplars`, default 100000 as
    /// Prometheus; 0 or less keeps no exemplars). `TSDB.resizeExemplars` changes it later.
    package var maxExemplars = 100_000

    package init() {}

    /// Checks every field; throws `TSDBError` `.invalidOptions` naming the first bad one.
    package func validate() throws(TSDBError) {
        if blockRange <= 0 { throw TSDBError(.invalidOptions, "block range \(blockRange)ms must be positive", location: "options.blockRange") }
        if let retentionTime, retentionTime.milliseconds < 0 {
            throw TSDBError(.invalidOptions, "retention time \(retentionTime) must not be negative", location: "options.retentionTime")
        }
        if let retentionSize, retentionSize <= 0 {
            throw TSDBError(.invalidOptions, "retention size \(retentionSize) bytes must be positive", location: "options.retentionSize")
        }
        if walSegmentSize < 32 * 1024 || walSegmentSize % (32 * 1024) != 0 {
            throw TSDBError(.invalidOptions, "WAL segment size \(walSegmentSize) is not a positive multiple of 32768",
                            location: "options.walSegmentSize")
        }
        if let maxBlockDuration, maxBlockDuration < blockRange {
            throw TSDBError(.invalidOptions, "max block duration \(maxBlockDuration)ms is below the block range \(blockRange)ms",
                            location: "options.maxBlockDuration")
        }
        if headStripes <= 0 { throw TSDBError(.invalidOptions, "head stripes \(headStripes) must be positive", location: "options.headStripes") }
    }

    var walCompressionKind: WALCompression { walCompression ? .snappy : .none }

    var headOptions: HeadOptions {
        var options = HeadOptions()
        options.chunkRange = blockRange
        options.stripes = headStripes
        options.maxExemplars = maxExemplars
        return options
    }
}
