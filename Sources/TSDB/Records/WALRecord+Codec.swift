import PharosCore

extension WALRecord {
    /// The record's bytes: type byte then payload (Docs/formats/wal.md, "Records").
    package func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        encode(into: &writer)
        return writer.bytes
    }

    /// Appends the record's bytes to `writer`.
    package func encode(into writer: inout ByteWriter) {
        switch self {
        case .series(let series):
            writer.putByte(TypeByte.series)
            for entry in series {
                writer.putBE64(entry.ref)
                Self.encode(entry.labels, into: &writer)
            }
        case .samples(let samples):
            writer.putByte(TypeByte.samples)
            guard let first = samples.first else { return }
            writer.putBE64(first.ref)
            writer.putBE64(UInt64(bitPattern: first.timestamp))
            for sample in samples {
                writer.putVarint(Int64(bitPattern: sample.ref &- first.ref))
                writer.putVarint(sample.timestamp &- first.timestamp)
                writer.putBE64(sample.value.bitPattern)
            }
        case .tombstones(let stones):
            writer.putByte(TypeByte.tombstones)
            for stone in stones {
                writer.putBE64(stone.ref)
                writer.putVarint(stone.interval.mint)
                writer.putVarint(stone.interval.maxt)
            }
        case .exemplars(let exemplars):
            writer.putByte(TypeByte.exemplars)
            guard let first = exemplars.first else { return }
            writer.putBE64(first.ref)
            writer.putBE64(UInt64(bitPattern: first.timestamp))
            for exemplar in exemplars {
                writer.putVarint(Int64(bitPattern: exemplar.ref &- first.ref))
                writer.putVarint(exemplar.timestamp &- first.timestamp)
                writer.putBE64(exemplar.value.bitPattern)
                Self.encode(exemplar.labels, into: &writer)
            }
        }
    }

    /// Prometheus' `EncodeLabels`: the count as a uvarint, then name and value strings.
    private static func encode(_ labels: Labels, into writer: inout ByteWriter) {
        writer.putUvarint(UInt64(labels.count))
        for label in labels {
            writer.putUvarintString(label.name)
            writer.putUvarintString(label.value)
        }
    }

    /// Decodes one record.
    ///
    /// Returns nil for record types Prometheus defines but Pharos does not use yet
    /// (`TypeByte.isKnownUnsupported`). Throws `TSDBError` of kind `.invalidRecord`, with the
    /// offset inside `bytes`, for anything malformed; never traps on any input.
    package static func decode(_ bytes: some Collection<UInt8>) throws(TSDBError) -> WALRecord? {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            Result { () throws(TSDBError) in try decode(UnsafeRawBufferPointer(buffer)) }
        }) {
            return try result.get()
        }
        return try Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(TSDBError) in try decode(buffer) }
        }.get()
    }

    /// Decodes one record from raw bytes; see `decode(_:)` for the contract.
    package static func decode(_ buffer: UnsafeRawBufferPointer) throws(TSDBError) -> WALRecord? {
        var reader = ByteReader(buffer)
        var what = "record"
        do {
            let type = try reader.byte()
            switch type {
            case TypeByte.series:
                what = "series record"
                return .series(try decodeSeries(&reader))
            case TypeByte.samples:
                what = "samples record"
                return .samples(try decodeSamples(&reader))
            case TypeByte.tombstones:
                what = "tombstones record"
                return .tombstones(try decodeTombstones(&reader))
            case TypeByte.exemplars:
                what = "exemplars record"
                return .exemplars(try decodeExemplars(&reader))
            case let other where TypeByte.isKnownUnsupported(other):
                return nil
            default:
                throw TSDBError.wal(kind: .invalidRecord, offset: 0, message: "unknown record type \(type)")
            }
        } catch let failure as ByteReader.Failure {
            throw TSDBError.wal(kind: .invalidRecord, offset: failure.offset, message: "cannot decode \(what): \(failure.reason)")
        } catch let error as TSDBError {
            throw error
        } catch {
            throw TSDBError.wal(kind: .invalidRecord, message: "cannot decode \(what): \(error)")
        }
    }

    private static func decodeSeries(_ reader: inout ByteReader) throws -> [RecordSeries] {
        var series: [RecordSeries] = []
        while !reader.isAtEnd {
            let ref = try reader.be64()
            series.append(RecordSeries(ref: ref, labels: try decodeLabels(&reader)))
        }
        return series
    }

    /// Prometheus' `DecodeLabels`; unsorted or empty-valued input is normalised like `Labels(_:)`.
    private static func decodeLabels(_ reader: inout ByteReader) throws -> Labels {
        // Each label takes at least two bytes (two empty-string lengths).
        let count = try reader.count(minimumSize: 2)
        var pairs: [Label] = []
        pairs.reserveCapacity(count)
        for _ in 0..<count {
            let name = try reader.uvarintString()
            let value = try reader.uvarintString()
            pairs.append(Label(name: name, value: value))
        }
        let isSorted = zip(pairs, pairs.dropFirst()).allSatisfy { $0.name < $1.name }
        return isSorted && !pairs.contains(where: { $0.value.isEmpty }) ? Labels(sortedUnchecked: pairs) : Labels(pairs)
    }

    private static func decodeExemplars(_ reader: inout ByteReader) throws -> [RecordExemplar] {
        guard !reader.isAtEnd else { return [] }
        let baseRef = try reader.be64()
        let baseTime = Int64(bitPattern: try reader.be64())
        var exemplars: [RecordExemplar] = []
        while !reader.isAtEnd {
            let refDelta = try reader.varint()
            let timeDelta = try reader.varint()
            let bits = try reader.be64()
            let labels = try decodeLabels(&reader)
            exemplars.append(RecordExemplar(ref: baseRef &+ UInt64(bitPattern: refDelta), timestamp: baseTime &+ timeDelta,
                                            value: Double(bitPattern: bits), labels: labels))
        }
        return exemplars
    }

    private static func decodeSamples(_ reader: inout ByteReader) throws -> [RecordSample] {
        guard !reader.isAtEnd else { return [] }
        let baseRef = try reader.be64()
        let baseTime = Int64(bitPattern: try reader.be64())
        var samples: [RecordSample] = []
        // Each sample takes at least 10 bytes: two one-byte varints and 8 value bytes.
        samples.reserveCapacity(reader.remaining / 10)
        while !reader.isAtEnd {
            let refDelta = try reader.varint()
            let timeDelta = try reader.varint()
            let bits = try reader.be64()
            samples.append(RecordSample(ref: baseRef &+ UInt64(bitPattern: refDelta),
                                        timestamp: baseTime &+ timeDelta,
                                        value: Double(bitPattern: bits)))
        }
        return samples
    }

    private static func decodeTombstones(_ reader: inout ByteReader) throws -> [RecordTombstone] {
        var stones: [RecordTombstone] = []
        // Each stone takes at least 10 bytes: the ref and two one-byte varints.
        stones.reserveCapacity(reader.remaining / 10)
        while !reader.isAtEnd {
            let ref = try reader.be64()
            let mint = try reader.varint()
            let maxt = try reader.varint()
            stones.append(RecordTombstone(ref: ref, interval: TimeInterval(mint, maxt)))
        }
        return stones
    }
}
