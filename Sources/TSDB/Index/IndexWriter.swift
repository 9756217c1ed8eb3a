import PharosCore

/// Builds a Prometheus-compatible (format v2) block index in memory (Docs/formats/index.md).
///
/// Add series in ascending label order (byte-wise, Prometheus' `labels.Compare`), each with its
/// chunk metas sorted by time; then `encoded()` or `write(to:)`. Not thread-safe (a value).
package struct IndexWriter {
    private var series: [(labels: Labels, chunks: [ChunkMeta])] = []

    package init() {}

    package var seriesCount: Int { series.count }

    /// Appends a series. Throws `TSDBError` `.invalidOptions` when `labels` is not strictly
    /// after the previous series or the chunks are not in time order.
    package mutating func add(_ labels: Labels, chunks: [ChunkMeta]) throws(TSDBError) {
        try checkOrder(labels)
        for (previous, next) in zip(chunks, chunks.dropFirst()) where next.minTime < previous.maxTime {
            throw TSDBError(.invalidOptions, "chunk starting at \(next.minTime) overlaps the previous one ending at \(previous.maxTime)",
                            location: "index writer")
        }
        if let bad = chunks.first(where: { $0.maxTime < $0.minTime }) {
            throw TSDBError(.invalidOptions, "chunk maxTime \(bad.maxTime) is before minTime \(bad.minTime)", location: "index writer")
        }
        series.append((labels, chunks))
    }

    /// Throws `.invalidOptions` unless `labels` comes strictly after the last added series.
    package func checkOrder(_ labels: Labels) throws(TSDBError) {
        if let last = series.last, Labels.compare(last.labels, labels) >= 0 {
            throw TSDBError(.invalidOptions, "series \(labels) is not after \(last.labels); add series in ascending label order",
                            location: "index writer")
        }
    }

    /// The whole index file.
    package func encoded() -> [UInt8] {
        // Symbols: every name and value, sorted by bytes, plus "" (the all-postings key's
        // name and value), as Prometheus writes them.
        var symbolSet: Set<BytewiseString> = [""]
        for entry in series { for label in entry.labels { symbolSet.insert(BytewiseString(label.name)); symbolSet.insert(BytewiseString(label.value)) } }
        let symbols = symbolSet.sorted()
        var symbolRef: [BytewiseString: UInt32] = [:]
        for (index, symbol) in symbols.enumerated() { symbolRef[symbol] = UInt32(index) }

        var out = ByteWriter(capacity: 1 << 16)
        var toc = IndexTOC()
        out.putBE32(IndexFormat.magic)
        out.putByte(IndexFormat.version)

        toc.symbols = UInt64(out.count)
        writeSection(&out) { body in
            body.putBE32(UInt32(symbols.count))
            for symbol in symbols { body.putUvarintString(symbol.string) }
        }

        // Series, each 16-byte aligned; collect postings as we go.
        toc.series = UInt64(out.count)
        var all: [UInt32] = []
        var postings: [BytewiseString: [BytewiseString: [UInt32]]] = [:]
        for entry in series {
            pad(&out, to: IndexFormat.seriesAlignment)
            let ref = UInt32(out.count / IndexFormat.seriesAlignment)
            all.append(ref)
            var body = ByteWriter()
            body.putUvarint(UInt64(entry.labels.count))
            for label in entry.labels {
                body.putUvarint(UInt64(symbolRef[BytewiseString(label.name)]!))
                body.putUvarint(UInt64(symbolRef[BytewiseString(label.value)]!))
                postings[BytewiseString(label.name), default: [:]][BytewiseString(label.value), default: []].append(ref)
            }
            body.putUvarint(UInt64(entry.chunks.count))
            var previous: ChunkMeta? = nil
            for chunk in entry.chunks {
                if let previous {
                    body.putUvarint(UInt64(bitPattern: chunk.minTime &- previous.maxTime))
                    body.putUvarint(UInt64(bitPattern: chunk.maxTime &- chunk.minTime))
                    body.putVarint(Int64(bitPattern: chunk.ref &- previous.ref))
                } else {
                    body.putVarint(chunk.minTime)
                    body.putUvarint(UInt64(bitPattern: chunk.maxTime &- chunk.minTime))
                    body.putUvarint(chunk.ref)
                }
                previous = chunk
            }
            out.putUvarint(UInt64(body.count))
            out.putBytes(body.bytes)
            out.putBE32(CRC32C.checksum(body.bytes))
        }

        let names = postings.keys.sorted()
        toc.labelIndices = UInt64(out.count)
        var labelIndexOffsets: [(String, Int)] = []
        for name in names {
            pad(&out, to: 4)
            labelIndexOffsets.append((name.string, out.count))
            let values = postings[name]!.keys.map { symbolRef[$0]! }.sorted()
            writeSection(&out) { body in
                body.putBE32(1)
                body.putBE32(UInt32(values.count))
                for value in values { body.putBE32(value) }
            }
        }

        toc.postings = UInt64(out.count)
        var postingOffsets: [(String, String, Int)] = []
        func writePostings(_ name: String, _ value: String, _ refs: [UInt32]) {
            pad(&out, to: 4)
            postingOffsets.append((name, value, out.count))
            writeSection(&out) { body in
                body.putBE32(UInt32(refs.count))
                for ref in refs { body.putBE32(ref) }
            }
        }
        writePostings("", "", all)
        for name in names {
            let values = postings[name]!
            for value in values.keys.sorted() { writePostings(name.string, value.string, values[value]!) }
        }

        toc.labelOffsetTable = UInt64(out.count)
        writeSection(&out) { body in
            body.putBE32(UInt32(labelIndexOffsets.count))
            for (name, offset) in labelIndexOffsets {
                body.putUvarint(1)
                body.putUvarintString(name)
                body.putUvarint(UInt64(offset))
            }
        }

        toc.postingsOffsetTable = UInt64(out.count)
        writeSection(&out) { body in
            body.putBE32(UInt32(postingOffsets.count))
            for (name, value, offset) in postingOffsets {
                body.putUvarint(2)
                body.putUvarintString(name)
                body.putUvarintString(value)
                body.putUvarint(UInt64(offset))
            }
        }

        var tocBytes = ByteWriter(capacity: IndexFormat.tocSize)
        for offset in [toc.symbols, toc.series, toc.labelIndices, toc.labelOffsetTable, toc.postings, toc.postingsOffsetTable] {
            tocBytes.putBE64(offset)
        }
        tocBytes.putBE32(CRC32C.checksum(tocBytes.bytes))
        out.putBytes(tocBytes.bytes)
        return out.bytes
    }

    /// Writes the index to `path` (created or replaced) and fsyncs it.
    package func write(to path: String) throws(TSDBError) {
        try BlockFiles.writeFile(path, encoded())
    }

    /// `len <BE32> | body | CRC32C(body)`.
    private func writeSection(_ out: inout ByteWriter, _ build: (inout ByteWriter) -> Void) {
        var body = ByteWriter()
        build(&body)
        out.putBE32(UInt32(body.count))
        out.putBytes(body.bytes)
        out.putBE32(CRC32C.checksum(body.bytes))
    }

    private func pad(_ out: inout ByteWriter, to alignment: Int) {
        let remainder = out.count % alignment
        if remainder != 0 { out.putBytes(repeatElement(0, count: alignment - remainder)) }
    }
}
