/// How the WAL compresses the records it writes (`--storage.tsdb.wal-compression`).
///
/// Reading never depends on it: every fragment carries its own flag, so a WAL may mix
/// compressed and uncompressed segments (and records) freely.
package enum WALCompression: Sendable, Hashable {
    /// Records are written as encoded.
    case none
    /// Each record is one snappy block (fragment flag `0x08`), as Prometheus 2.20+ writes by
    /// default; a record that would not shrink is written uncompressed.
    case snappy
}
