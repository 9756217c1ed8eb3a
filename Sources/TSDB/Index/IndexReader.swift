import PharosCore

/// Reads a Prometheus-compatible (format v2) block index from a mapped file
/// (Docs/formats/index.md).
///
/// Opening validates the header, TOC, symbol table and postings offset table (checksums and
/// bounds) and loads symbols and the postings offset table into memory; series entries and
/// postings lists are checksummed when read. Any damage is a `TSDBError` `.corruptBlock` whose
/// location is `<path> at byte <offset>`; no input can crash the reader. Immutable, Sendable.
package final class IndexReader: Sendable {
    package let file: MappedFile
    package let toc: IndexTOC
    /// The symbol table, in file (byte-sorted) order.
    package let symbols: [String]
    /// label name → (value, postings list offset) sorted by value bytes; "" holds all-postings.
    let postingsTable: [BytewiseString: [(value: String, offset: Int)]]
    /// Label names, byte-sorted, without the all-postings key "".
    package let labelNames: [String]

    package convenience init(path: String) throws(TSDBError) {
        try self.init(file: MappedFile(path: path))
    }

    package init(file: MappedFile) throws(TSDBError) {
        self.file = file
        let bytes = file.bytes
        func corrupt(_ offset: Int, _ message: String) -> TSDBError {
            TSDBError(.corruptBlock, message, location: "\(file.path) at byte \(offset)")
        }
        guard bytes.count >= IndexFormat.headerSize + IndexFormat.tocSize else {
            throw corrupt(0, "index of \(bytes.count) bytes is shorter than header and TOC")
        }
        var reader = ByteReader(bytes)
        let magic = (try? reader.be32()) ?? 0
        guard magic == IndexFormat.magic else {
            throw corrupt(0, "invalid magic number \(hex(magic, width: 8)); want \(hex(IndexFormat.magic, width: 8))")
        }
        let version = bytes[4]
        guard version == IndexFormat.version else { throw corrupt(4, "unsupported index version \(version); want 2") }

        // TOC.
        let tocStart = bytes.count - IndexFormat.tocSize
        var tocReader = ByteReader(bytes, offset: tocStart)
        var offsets: [UInt64] = []
        for _ in 0..<6 { offsets.append((try? tocReader.be64()) ?? 0) }
        let want = (try? tocReader.be32()) ?? 0
        let got = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: bytes[tocStart..<tocStart + 48]))
        guard want == got else {
            throw corrupt(tocStart, "TOC checksum mismatch (want \(hex(want, width: 8)), got \(hex(got, width: 8)))")
        }
        for (index, offset) in offsets.enumerated() where offset >= UInt64(tocStart) {
            throw corrupt(tocStart + 8 * index, "TOC entry \(index) points to \(offset), past the TOC")
        }
        toc = IndexTOC(symbols: offsets[0], series: offsets[1], labelIndices: offsets[2],
                       labelOffsetTable: offsets[3], postings: offsets[4], postingsOffsetTable: offsets[5])

        // Symbols.
        var symbols: [String] = []
        if toc.symbols != 0 {
            var body = try IndexReader.section(bytes, at: Int(toc.symbols), path: file.path, what: "symbol table")
            do {
                let count = Int(try body.be32())
                guard count <= body.remaining else { throw ByteReader.Failure(offset: body.offset, reason: "symbol count \(count) exceeds the section") }
                symbols.reserveCapacity(count)
                for _ in 0..<count { symbols.append(try body.uvarintString()) }
            } catch let failure as ByteReader.Failure {
                throw corrupt(failure.offset, "symbol table: \(failure.reason)")
            } catch {
                throw corrupt(Int(toc.symbols), "symbol table: \(error)")
            }
        }
        self.symbols = symbols

        // Postings offset table.
        var table: [BytewiseString: [(value: String, offset: Int)]] = [:]
        var names: [String] = []
        if toc.postingsOffsetTable != 0 {
            var body = try IndexReader.section(bytes, at: Int(toc.postingsOffsetTable), path: file.path, what: "postings offset table")
            do {
                let count = Int(try body.be32())
                guard count <= body.remaining else { throw ByteReader.Failure(offset: body.offset, reason: "entry count \(count) exceeds the section") }
                for _ in 0..<count {
                    let keys = try body.uvarint()
                    guard keys == 2 else { throw ByteReader.Failure(offset: body.offset, reason: "postings offset entry has \(keys) keys; want 2") }
                    let name = try body.uvarintString()
                    let value = try body.uvarintString()
                    let offset = try body.uvarint()
                    guard offset < UInt64(tocStart) else { throw ByteReader.Failure(offset: body.offset, reason: "postings offset \(offset) is past the TOC") }
                    if table[BytewiseString(name)] == nil { names.append(name) }
                    table[BytewiseString(name), default: []].append((value, Int(offset)))
                }
            } catch let failure as ByteReader.Failure {
                throw corrupt(failure.offset, "postings offset table: \(failure.reason)")
            } catch {
                throw corrupt(Int(toc.postingsOffsetTable), "postings offset table: \(error)")
            }
        }
        postingsTable = table
        labelNames = names.filter { !$0.isEmpty }.sorted { $0.bytewiseLess($1) }
    }

    /// Validates a `len | body | CRC32C` section at `offset` and returns a reader over its body
    /// (offsets stay absolute).
    static func section(_ bytes: UnsafeRawBufferPointer, at offset: Int, path: String, what: String) throws(TSDBError) -> ByteReader {
        var reader = ByteReader(bytes)
        do {
            try reader.seek(to: offset)
            let length = Int(try reader.be32())
            let start = reader.offset
            guard length <= reader.remaining - 4 else {
                throw ByteReader.Failure(offset: offset, reason: "\(what) of \(length) bytes runs past the end of the file")
            }
            let body = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
            var crcReader = ByteReader(bytes, offset: start + length)
            let want = try crcReader.be32()
            let got = CRC32C.update(0, body)
            guard want == got else {
                throw ByteReader.Failure(offset: offset, reason: "\(what) checksum mismatch (want \(hex(want, width: 8)), got \(hex(got, width: 8)))")
            }
            return ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<start + length]), offset: start)
        } catch let failure as ByteReader.Failure {
            throw TSDBError(.corruptBlock, failure.reason, location: "\(path) at byte \(failure.offset)")
        } catch {
            throw TSDBError(.corruptBlock, "\(what): \(error)", location: "\(path) at byte \(offset)")
        }
    }

    /// Sorted values of `name` (empty when the name is absent).
    package func labelValues(_ name: String) -> [String] {
        guard !name.isEmpty else { return [] }
        return postingsTable[BytewiseString(name)]?.map(\.value) ?? []
    }

    /// Series refs having `name=value`, ascending; empty when the pair is absent.
    package func postings(_ name: String, _ value: String) throws(TSDBError) -> [UInt64] {
        guard let entries = postingsTable[BytewiseString(name)] else { return [] }
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].value.bytewiseLess(value) { low = mid + 1 } else { high = mid }
        }
        guard low < entries.count, entries[low].value.bytewiseEquals(value) else { return [] }
        return try postingsList(at: entries[low].offset)
    }

    /// Every series ref, ascending.
    package func allPostings() throws(TSDBError) -> [UInt64] { try postings("", "") }

    private func postingsList(at offset: Int) throws(TSDBError) -> [UInt64] {
        var body = try IndexReader.section(file.bytes, at: offset, path: file.path, what: "postings list")
        do {
            let count = Int(try body.be32())
            guard count <= body.remaining / 4 else { throw ByteReader.Failure(offset: body.offset, reason: "postings count \(count) exceeds the list") }
            var refs: [UInt64] = []
            refs.reserveCapacity(count)
            for _ in 0..<count { refs.append(UInt64(try body.be32())) }
            return refs
        } catch let failure as ByteReader.Failure {
            throw TSDBError(.corruptBlock, "postings list: \(failure.reason)", location: "\(file.path) at byte \(failure.offset)")
        } catch {
            throw TSDBError(.corruptBlock, "postings list: \(error)", location: "\(file.path) at byte \(offset)")
        }
    }

    /// The labels and chunk metas of series `ref` (its offset / 16).
    package func series(_ ref: UInt64) throws(TSDBError) -> (labels: Labels, chunks: [ChunkMeta]) {
        let bytes = file.bytes
        let (offset, overflow) = ref.multipliedReportingOverflow(by: UInt64(IndexFormat.seriesAlignment))
        func corrupt(_ at: Int, _ message: String) -> TSDBError {
            TSDBError(.corruptBlock, "series \(ref): \(message)", location: "\(file.path) at byte \(at)")
        }
        guard !overflow, offset >= toc.series, offset < UInt64(bytes.count) else {
            throw corrupt(0, "ref points outside the series section")
        }
        var reader = ByteReader(bytes, offset: Int(offset))
        do {
            let length = try reader.count()
            let start = reader.offset
            guard length <= reader.remaining - 4 else { throw ByteReader.Failure(offset: Int(offset), reason: "entry runs past the end of the file") }
            let body = UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
            var crcReader = ByteReader(bytes, offset: start + length)
            let want = try crcReader.be32()
            let got = CRC32C.update(0, body)
            guard want == got else {
                throw ByteReader.Failure(offset: Int(offset), reason: "checksum mismatch (want \(hex(want, width: 8)), got \(hex(got, width: 8)))")
            }
            var entry = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<start + length]), offset: start)
            let labelCount = try entry.count(minimumSize: 2)
            var pairs: [Label] = []
            pairs.reserveCapacity(labelCount)
            // Symbol refs are indices into the byte-sorted symbol table, so ascending name refs
            // mean sorted, unique names: the usual case skips re-sorting the set.
            var ordered = true
            var previousName = -1
            for _ in 0..<labelCount {
                let nameRef = try entry.uvarint()
                let valueRef = try entry.uvarint()
                let name = try symbol(nameRef, at: entry.offset)
                let value = try symbol(valueRef, at: entry.offset)
                if Int(nameRef) <= previousName || value.isEmpty { ordered = false }
                previousName = Int(nameRef)
                pairs.append(Label(name: name, value: value))
            }
            let chunkCount = try entry.count(minimumSize: 3)
            var chunks: [ChunkMeta] = []
            chunks.reserveCapacity(chunkCount)
            var previous: ChunkMeta? = nil
            for _ in 0..<chunkCount {
                var chunk: ChunkMeta
                if let previous {
                    let minTime = previous.maxTime &+ Int64(bitPattern: try entry.uvarint())
                    let maxTime = minTime &+ Int64(bitPattern: try entry.uvarint())
                    chunk = ChunkMeta(minTime: minTime, maxTime: maxTime, ref: previous.ref &+ UInt64(bitPattern: try entry.varint()))
                } else {
                    let minTime = try entry.varint()
                    let maxTime = minTime &+ Int64(bitPattern: try entry.uvarint())
                    chunk = ChunkMeta(minTime: minTime, maxTime: maxTime, ref: try entry.uvarint())
                }
                chunks.append(chunk)
                previous = chunk
            }
            return (ordered ? Labels(sortedUnchecked: pairs) : Labels(pairs), chunks)
        } catch let failure as ByteReader.Failure {
            throw corrupt(failure.offset, failure.reason)
        } catch let error as TSDBError {
            throw error
        } catch {
            throw corrupt(Int(offset), "\(error)")
        }
    }

    private func symbol(_ ref: UInt64, at offset: Int) throws(ByteReader.Failure) -> String {
        guard ref < UInt64(symbols.count) else {
            throw ByteReader.Failure(offset: offset, reason: "symbol ref \(ref) is past the \(symbols.count) symbols")
        }
        return symbols[Int(ref)]
    }
}
