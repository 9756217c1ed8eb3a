/// Timestamps are Int64 milliseconds since the Unix epoch everywhere in Pharos.
package typealias Timestamp = Int64

/// One float sample.
package struct Sample: Hashable, Sendable {
    package var timestamp: Timestamp
    package var value: Double

    package init(timestamp: Timestamp, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// Prometheus' staleness marker: a NaN with a fixed bit pattern that no arithmetic produces.
package enum StaleNaN {
    package static let bits: UInt64 = 0x7ff0_0000_0000_0002
    package static let value = Double(bitPattern: bits)

    package static func isStale(_ value: Double) -> Bool { value.bitPattern == bits }
}

extension Double {
    /// True for Prometheus' staleness marker (and only it; other NaNs are values).
    package var isStaleMarker: Bool { bitPattern == StaleNaN.bits }
}
