/// Counts from one `checkpoint` call.
package struct WALCheckpointStats: Sendable, Equatable {
    package var checkpoint = 0
    package var totalSeries = 0
    package var droppedSeries = 0
    package var totalSamples = 0
    package var droppedSamples = 0
    package var totalExemplars = 0
    package var droppedExemplars = 0
}

extension WAL {
    /// Folds the previous checkpoint and segments up to `last` into `checkpoint.<last>`, then
    /// deletes those segments and older checkpoints (Prometheus' `wlog.Checkpoint` plus the
    /// head's truncation steps).
    ///
    /// Kept: series records whose ref satisfies `keep`, samples of kept series with
    /// `timestamp >= minTime`, exemplars likewise (as Prometheus' checkpoint), tombstones of kept
    /// series with `maxt >= minTime`; records of types Pharos does not use are dropped. The folder is
    /// written as `checkpoint.<last>.tmp`, fsynced and renamed, so a crash leaves either the
    /// old or the new checkpoint; it is compressed like this WAL's own records. `last` must be
    /// below the open segment. Safe to run while other threads `log` (it never touches the open
    /// segment), but not concurrently with another `checkpoint`, `truncate` or `replay`.
    /// - Throws: `TSDBError` `.invalidArgument` for a bad `last`; `.corruption` if any input is
    ///   damaged (a checkpoint cannot repair: the head would lose series silently); `.io`.
    @discardableResult
    package func checkpoint(through last: Int, keep: (UInt64) -> Bool, minTime: Int64) throws -> WALCheckpointStats {
        if let open = currentSegment, last >= open {
            throw TSDBError.wal(kind: .invalidArgument, segment: last,
                           message: "cannot checkpoint through the open segment \(WALSegmentName.name(open))")
        }
        let previous = try WAL.listCheckpoints(directory).last
        var inputs: [(path: String, index: Int)] = []
        if let previous {
            let folder = directory + "/checkpoint." + WALSegmentName.name(previous)
            inputs += try WAL.listSegments(folder).map { (folder + "/" + WALSegmentName.name($0), $0) }
        }
        inputs += try WAL.listSegments(directory).filter { $0 > (previous ?? -1) && $0 <= last }.map { (path(of: $0), $0) }

        let final = directory + "/checkpoint." + WALSegmentName.name(last)
        let temporary = final + ".tmp"
        try PosixFile.removeTree(temporary)
        var stats = WALCheckpointStats(checkpoint: last)
        do {
            let output = try WAL(directory: temporary, segmentSize: segmentSize, compression: compression)
            for input in inputs {
                var batch: [WALRecord] = []
                let file: MappedFile
                do { file = try MappedFile(path: input.path) } catch {
                    throw TSDBError.wal(kind: .io, segment: input.index, message: error.message)
                }
                let damage = try withExtendedLifetime(file) { () throws -> WALSegmentScanner.Damage? in
                    let buffer = file.bytes
                    return try WALSegmentScanner.scan(buffer) { raw, start in
                        let record: WALRecord?
                        do throws(TSDBError) {
                            record = try WALRecord.decode(raw)
                        } catch {
                            throw TSDBError.wal(kind: .corruption, segment: input.index, offset: start, message: error.message)
                        }
                        switch record {
                        case .series(let series):
                            let kept = series.filter { keep($0.ref) }
                            stats.totalSeries += series.count
                            stats.droppedSeries += series.count - kept.count
                            if !kept.isEmpty { batch.append(.series(kept)) }
                        case .samples(let samples):
                            let kept = samples.filter { $0.timestamp >= minTime && keep($0.ref) }
                            stats.totalSamples += samples.count
                            stats.droppedSamples += samples.count - kept.count
                            if !kept.isEmpty { batch.append(.samples(kept)) }
                        case .tombstones(let stones):
                            let kept = stones.filter { $0.interval.maxt >= minTime && keep($0.ref) }
                            if !kept.isEmpty { batch.append(.tombstones(kept)) }
                        case .exemplars(let exemplars):
                            let kept = exemplars.filter { $0.timestamp >= minTime && keep($0.ref) }
                            stats.totalExemplars += exemplars.count
                            stats.droppedExemplars += exemplars.count - kept.count
                            if !kept.isEmpty { batch.append(.exemplars(kept)) }
                        case nil:
                            break
                        }
                    }
                }
                if let damage {
                    throw TSDBError.wal(kind: .corruption, segment: input.index, offset: damage.offset,
                                   message: "cannot checkpoint \(input.path): \(damage.reason)")
                }
                try output.log(batch)
            }
            try output.close()
            try PosixFile.syncDirectory(temporary)
            try PosixFile.removeTree(final)
            try PosixFile.rename(temporary, final)
            try PosixFile.syncDirectory(directory)
        } catch {
            try? PosixFile.removeTree(temporary)
            throw error
        }
        try truncate(before: last + 1)
        for older in try WAL.listCheckpoints(directory) where older < last {
            try PosixFile.removeTree(directory + "/checkpoint." + WALSegmentName.name(older))
        }
        return stats
    }
}
