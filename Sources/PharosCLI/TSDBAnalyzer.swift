import Foundation
import Logging
import PharosCore
import PromQLParser
import TSDB

/// `pharos tsdb analyze [PATH] [--block ID] [--limit N] [--match SELECTOR]`, as `promtool tsdb analyze`.
///
/// Never modifies the data folder: blocks are only mapped for reading, and when the folder
/// holds no block the WAL is copied to a temporary folder and replayed there into a throwaway
/// head, which is then analyzed as block `head`.
package enum TSDBAnalyzer {
    /// Analyzes block `blockID` of `path` (the newest by minTime when nil, the head when there
    /// is no block) and returns the report; `limit` cuts every ranking; `match`, a series
    /// selector such as `{job="api"}`, restricts the analysis to the series it matches;
    /// `extended` adds the chunk fill histograms.
    package static func analyze(path: String, blockID: String? = nil, limit: Int = 20,
                                match: String? = nil, extended: Bool = false) throws(CLIError) -> TSDBAnalysis {
        var matchers: [LabelMatcher] = []
        if let match, !match.isEmpty {
            do {
                matchers = try parseMetricSelector(match)
            } catch {
                throw CLIError(.invalidArgument, "invalid --match selector", location: match, underlying: error)
            }
        }
        guard limit >= 0 else { throw CLIError(.invalidArgument, "--limit must not be negative, got \(limit)", location: "") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError(.notFound, "no such data folder", location: path)
        }
        if let blockID {
            return try analyzeBlock(directory: path + "/" + blockID, matchers: matchers, limit: limit, extended: extended)
        }
        let names: [String]
        do {
            names = try BlockDirectory.blockNames(in: path)
        } catch {
            throw CLIError(.storage, "cannot list blocks", location: path, underlying: error)
        }
        var newest: BlockMeta?
        for name in names {
            guard let meta = try? BlockMeta.read(directory: path + "/" + name) else { continue }
            if newest.map({ meta.minTime > $0.minTime || (meta.minTime == $0.minTime && meta.ulid > $0.ulid) }) ?? true {
                newest = meta
            }
        }
        if let newest { return try analyzeBlock(directory: path + "/" + newest.ulid, matchers: matchers, limit: limit, extended: extended) }
        return try analyzeHead(path: path, matchers: matchers, limit: limit, extended: extended)
    }

    /// Reads every series of the block folder `directory`.
    static func analyzeBlock(directory: String, matchers: [LabelMatcher], limit: Int, extended: Bool) throws(CLIError) -> TSDBAnalysis {
        guard FileManager.default.fileExists(atPath: directory + "/meta.json") else {
            throw CLIError(.notFound, "no such block", location: directory)
        }
        let block: PersistedBlock
        do {
            block = try PersistedBlock(directory: directory)
        } catch {
            throw CLIError(.storage, "cannot open block", location: directory, underlying: error)
        }
        var series: [TSDBAnalysis.SeriesSummary] = []
        var compaction = CompactionAnalysis()
        for ref in block.allPostings() {
            do {
                let (labels, chunks) = try block.readSeries(ref)
                series.append(summary(labels, chunks))
                if extended, matchers.matches(labels) { for chunk in chunks { compaction.add(chunkBytes: chunk.bytes) } }
            } catch {
                throw CLIError(.storage, "cannot read series \(ref)", location: directory, underlying: error)
            }
        }
        if let error = block.firstError {
            throw CLIError(.storage, "cannot read postings", location: directory, underlying: error)
        }
        var analysis = TSDBAnalysis(blockID: block.ulid, minTime: block.meta.minTime, maxTime: block.meta.maxTime,
                                    totalSeries: Int(block.meta.stats.numSeries), series: series, matching: matchers, limit: limit)
        if extended { analysis.compaction = compaction }
        return analysis
    }

    /// Replays a copy of `path/wal` into a head in a temporary folder and reads its series.
    static func analyzeHead(path: String, matchers: [LabelMatcher], limit: Int, extended: Bool) throws(CLIError) -> TSDBAnalysis {
        let wal = path + "/wal"
        guard FileManager.default.fileExists(atPath: wal) else {
            throw CLIError(.notFound, "no blocks and no WAL found", location: path)
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("pharos-analyze-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: wal, toPath: scratch + "/wal")
        } catch {
            throw CLIError(.io, "cannot copy the WAL to \(scratch)", location: wal, underlying: error)
        }
        var options = TSDBOptions()
        options.retentionTime = nil
        let db: TSDB
        do {
            db = try TSDB.open(directory: scratch, options: options, logger: Logger(label: "pharos.analyze") { _ in SwiftLogNoOpLogHandler() })
        } catch {
            throw CLIError(.storage, "cannot replay the WAL", location: wal, underlying: error)
        }
        defer { try? db.close() }
        let head = HeadReader(head: db.head)
        var series: [TSDBAnalysis.SeriesSummary] = []
        var compaction = CompactionAnalysis()
        for ref in head.allPostings() {
            guard let (labels, chunks) = head.series(ref, from: .min, through: .max) else { continue }
            series.append(summary(labels, chunks))
            if extended, matchers.matches(labels) { for chunk in chunks { compaction.add(chunkBytes: chunk.bytes) } }
        }
        let minTime = db.head.minTime ?? 0, maxTime = db.head.maxTime ?? 0
        var analysis = TSDBAnalysis(blockID: "head", minTime: minTime, maxTime: maxTime,
                                    totalSeries: series.count, series: series, matching: matchers, limit: limit)
        if extended { analysis.compaction = compaction }
        return analysis
    }

    static func summary(_ labels: Labels, _ chunks: [ChunkSnapshot]) -> TSDBAnalysis.SeriesSummary {
        TSDBAnalysis.SeriesSummary(labels: labels, minTime: chunks.first?.minTime ?? 0, maxTime: chunks.last?.maxTime ?? 0)
    }
}
