import PharosCore

/// The TSDB's `Querier`: merges any number of `BlockReader`s — persisted blocks and the head —
/// uniformly. Series with equal labels from several readers become one series whose iterator
/// merges their chunks; samples are clipped to the querier's [mint, maxt]; samples a reader's
/// tombstones delete never appear (readers leave them out of the chunks they hand out).
///
/// Series without samples in range are left out. A select sees every head commit either
/// whole or not at all (each reader is read inside its `withStableView`; for the head that is
/// between two commits, and cheap: closed chunks are shared, only open chunks are copied).
/// Output is sorted by labels whenever asked, and always when more than one reader
/// contributes. Used by one task; the readers must stay valid while it is used.
package struct BlockMergeQuerier: Querier {
    package let readers: [any BlockReader]
    package let mint: Timestamp
    package let maxt: Timestamp

    package init(readers: [any BlockReader], from mint: Timestamp, through maxt: Timestamp) {
        self.readers = readers
        self.mint = mint
        self.maxt = maxt
    }

    /// A querier over the head alone.
    package init(head: Head, from mint: Timestamp, through maxt: Timestamp) {
        self.init(readers: [HeadReader(head: head)], from: mint, through: maxt)
    }

    private var overlapping: [any BlockReader] {
        readers.filter { $0.minTime <= maxt && $0.maxTime >= mint }
    }

    /// Damaged readers do not fail the query: what could be read is returned, with each
    /// reader's `readWarning` as a warning. With `hints.function == "series"` (the series API)
    /// only labels are looked up, as Prometheus does: the series carry no samples and are
    /// chosen by `BlockReader.listedLabels`.
    package func select(_ matchers: [LabelMatcher], hints: SelectHints?, sorted: Bool) async throws -> any SeriesSet {
        let series = hints?.function == "series" ? selectLabels(matchers) : selectSeries(matchers, sorted: sorted)
        var annotations = Annotations()
        for reader in readers {
            if let warning = reader.readWarning { annotations.warn(warning) }
        }
        return ArraySeriesSet(series, annotations: annotations)
    }

    /// The synchronous body of `select`.
    package func selectSeries(_ matchers: [LabelMatcher], sorted: Bool) -> [ChunkedSeries] {
        var byLabels: [Labels: [ChunkSnapshot]] = [:]
        var order: [Labels] = []
        let sources = overlapping
        // One source (the usual head-only case) has unique label sets: no merge map needed.
        var direct: [ChunkedSeries] = []
        for reader in sources {
            let collect = { (refs: [UInt64]) in
                if sources.count == 1 { direct.reserveCapacity(refs.count) }
                for ref in refs {
                    guard let found = reader.series(ref, from: mint, through: maxt), !found.chunks.isEmpty else { continue }
                    if sources.count == 1 {
                        direct.append(ChunkedSeries(labels: found.labels, chunks: found.chunks, from: mint, through: maxt))
                        continue
                    }
                    if byLabels[found.labels] == nil { order.append(found.labels) }
                    byLabels[found.labels, default: []].append(contentsOf: found.chunks)
                }
            }
            // Postings (regexes may be slow) are resolved outside the stable view and redone
            // inside only when series appeared meanwhile (a commit in the view may use them).
            let generation = reader.seriesGeneration
            let refs = reader.postings(matching: matchers)
            reader.withStableView {
                collect(reader.seriesGeneration != generation ? reader.postings(matching: matchers) : refs)
            }
        }
        if sources.count == 1 {
            // A block lists series in label order already (refs ascend with labels): check
            // in one pass before paying for a sort.
            if sorted, !direct.indices.dropFirst().allSatisfy({ direct[$0 - 1].labels < direct[$0].labels }) {
                direct.sort { $0.labels < $1.labels }
            }
            return direct
        }
        order.sort()
        return order.map { ChunkedSeries(labels: $0, chunks: byLabels[$0] ?? [], from: mint, through: maxt) }
    }

    /// Sorted, distinct label sets the readers list for `matchers` (see `listedLabels`), as
    /// sample-less series.
    func selectLabels(_ matchers: [LabelMatcher]) -> [ChunkedSeries] {
        var found = Set<Labels>()
        for reader in overlapping {
            let generation = reader.seriesGeneration
            let refs = reader.postings(matching: matchers)
            reader.withStableView {
                for ref in reader.seriesGeneration != generation ? reader.postings(matching: matchers) : refs {
                    if let labels = reader.listedLabels(ref, from: mint, through: maxt) { found.insert(labels) }
                }
            }
        }
        return found.sorted().map { ChunkedSeries(labels: $0, chunks: [], from: mint, through: maxt) }
    }

    package func labelNames(matching matchers: [LabelMatcher]) async throws -> [String] {
        var names = Set<BytewiseString>()
        for reader in overlapping {
            if matchers.isEmpty {
                names.formUnion(reader.labelNames().map { BytewiseString($0) })
            } else {
                for ref in reader.postings(matching: matchers) {
                    guard let found = reader.series(ref, from: mint, through: maxt), !found.chunks.isEmpty else { continue }
                    names.formUnion(found.labels.map { BytewiseString($0.name) })
                }
            }
        }
        return names.sorted().map(\.string)
    }

    package func labelValues(_ name: String, matching matchers: [LabelMatcher]) async throws -> [String] {
        var values = Set<BytewiseString>()
        for reader in overlapping {
            if matchers.isEmpty {
                values.formUnion(reader.labelValues(name).map { BytewiseString($0) })
            } else {
                for ref in reader.postings(matching: matchers) {
                    guard let found = reader.series(ref, from: mint, through: maxt), !found.chunks.isEmpty,
                          let value = found.labels.value(of: name) else { continue }
                    values.insert(BytewiseString(value))
                }
            }
        }
        return values.sorted().map(\.string)
    }
}
