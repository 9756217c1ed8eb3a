import Logging

/// What a replay read, and what it repaired.
package struct WALReplayReport: Sendable {
    /// The checkpoint folder's index N (`checkpoint.N`) read first, if any.
    package var checkpoint: Int?
    /// Segment indexes read, in order (checkpoint segments not included).
    package var segments: [Int] = []
    /// Records handed to the visitor.
    package var records = 0
    /// Valid records of types Pharos does not use yet (tombstones, exemplars, histograms, …).
    package var skippedRecords = 0
    /// The torn tail that was cut off the last segment, if any (segment, offset, reason).
    package var repair: TSDBError?
    /// Where the last segment was truncated to, when `repair` is set.
    package var truncatedTo: Int?
}

extension WAL {
    /// Reads the newest checkpoint, then every later segment in order, calling `visit` for each
    /// record. Meant to run once, before the first `log`.
    ///
    /// A torn or corrupt tail in the last segment is cut off at the end of the last good record
    /// (with a warning naming segment and byte offset) and replay succeeds; corruption in an
    /// earlier segment, in the checkpoint, or a gap in the numbering (including between the
    /// checkpoint and the first segment after it) throws `TSDBError`
    /// `.corruption`. Errors thrown by `visit` stop the replay and propagate unchanged.
    /// `events` hears of the start, the checkpoint and every segment read.
    @discardableResult
    package func replay(events: (WALReplayEvent) -> Void = { _ in },
                        _ visit: (WALRecord) throws -> Void) throws -> WALReplayReport {
        var report = WALReplayReport()
        let checkpoint = try WAL.listCheckpoints(directory).last
        let segments = try WAL.listSegments(directory).filter { $0 > (checkpoint ?? -1) }
        events(.started(checkpoint: checkpoint, first: segments.first, last: segments.last))
        if let checkpoint {
            let folder = directory + "/checkpoint." + WALSegmentName.name(checkpoint)
            for index in try WAL.listSegments(folder) {
                let path = folder + "/" + WALSegmentName.name(index)
                if let damage = try replaySegment(path: path, index: index, report: &report, visit) {
                    throw TSDBError.wal(kind: .corruption, segment: index, offset: damage.offset,
                                   message: "checkpoint.\(WALSegmentName.name(checkpoint)): \(damage.reason)")
                }
            }
            report.checkpoint = checkpoint
            events(.checkpointLoaded(checkpoint))
        }
        let open = currentSegment
        if let checkpoint, let first = segments.first, first != checkpoint + 1 {
            throw TSDBError.wal(kind: .corruption, segment: first,
                           message: "segments are not sequential: checkpoint.\(WALSegmentName.name(checkpoint)) is followed by \(WALSegmentName.name(first))")
        }
        for (position, index) in segments.enumerated() {
            if position > 0 && segments[position - 1] != index - 1 {
                throw TSDBError.wal(kind: .corruption, segment: index,
                               message: "segments are not sequential: \(WALSegmentName.name(segments[position - 1])) is followed by \(WALSegmentName.name(index))")
            }
            report.segments.append(index)
            let loaded = WALReplayEvent.segmentLoaded(segment: index, last: segments.last ?? index)
            guard let damage = try replaySegment(path: path(of: index), index: index, report: &report, visit) else {
                events(loaded)
                continue
            }
            let error = TSDBError.wal(kind: .corruption, segment: index, offset: damage.offset, message: damage.reason)
            guard position == segments.count - 1, index != open, !damage.isUnsupported else { throw error }
            logger?.warning("\(error.location): \(error.message); truncating the torn tail", metadata: [
                "tsdb.wal.segment": "\(WALSegmentName.name(index))",
                "tsdb.wal.offset": "\(damage.offset)",
                "tsdb.wal.truncated_to": "\(damage.goodEnd)",
            ])
            try PosixFile.truncate(path(of: index), to: damage.goodEnd, segment: index)
            report.repair = error
            report.truncatedTo = damage.goodEnd
            events(loaded)
        }
        return report
    }

    /// Scans one segment file; decode failures of checksum-valid records count as damage at the
    /// record's start.
    private func replaySegment(path: String, index: Int, report: inout WALReplayReport,
                               _ visit: (WALRecord) throws -> Void) throws -> WALSegmentScanner.Damage? {
        // Mapped, not read: a 128 MiB segment costs no heap. The mapping ends before any repair.
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch {
            throw TSDBError.wal(kind: .io, segment: index, message: error.message)
        }
        var decodeDamage: WALSegmentScanner.Damage? = nil
        let damage: WALSegmentScanner.Damage? = try withExtendedLifetime(file) { () throws -> WALSegmentScanner.Damage? in
            let buffer = file.bytes
            do {
                return try WALSegmentScanner.scan(buffer) { record, start in
                    let decoded: WALRecord?
                    do throws(TSDBError) {
                        decoded = try WALRecord.decode(record)
                    } catch {
                        // The record's start is the end of the previous good one (or page padding).
                        decodeDamage = WALSegmentScanner.Damage(goodEnd: start, offset: start, reason: error.message)
                        throw error
                    }
                    if let decoded {
                        report.records += 1
                        try visit(decoded)
                    } else {
                        report.skippedRecords += 1
                    }
                }
            } catch let error as TSDBError where decodeDamage != nil && error.kind == .invalidRecord {
                return decodeDamage
            }
        }
        return damage
    }
}
