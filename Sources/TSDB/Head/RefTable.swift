/// A map from series ref to series for one ref stripe: open addressing with linear probing
/// over one array of (ref, series) pairs and a multiplicative hash, so a lookup is usually
/// one multiply and one cache line — no `Hasher`. Refs are never 0 (0 marks a free slot).
/// Removal shifts the following run back, so there are no tombstones. Not thread-safe.
struct RefTable {
    private struct Slot {
        var ref: UInt64 = 0
        var series: MemSeries?
    }

    private var slots = [Slot](repeating: Slot(), count: 8)
    private var bits = 3
    private(set) var count = 0

    @inline(__always) private func home(_ ref: UInt64) -> Int {
        Int(truncatingIfNeeded: (ref &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    func get(_ ref: UInt64) -> MemSeries? {
        let mask = slots.count - 1
        var index = home(ref)
        while true {
            let found = slots[index].ref
            if found == ref { return slots[index].series }
            if found == 0 { return nil }
            index = (index + 1) & mask
        }
    }

    /// Inserts or replaces the series for `ref` (not 0).
    mutating func set(_ ref: UInt64, _ series: MemSeries) {
        precondition(ref != 0, "series ref 0 is reserved")
        if (count + 1) * 2 > slots.count { resize(to: bits + 1) }
        let mask = slots.count - 1
        var index = home(ref)
        while slots[index].ref != 0 && slots[index].ref != ref { index = (index + 1) & mask }
        if slots[index].ref == 0 { count += 1 }
        slots[index] = Slot(ref: ref, series: series)
    }

    /// Removes `ref` when its series is `series`.
    mutating func remove(_ ref: UInt64, ifIs series: MemSeries) {
        let mask = slots.count - 1
        var index = home(ref)
        while slots[index].ref != ref {
            if slots[index].ref == 0 { return }
            index = (index + 1) & mask
        }
        guard slots[index].series === series else { return }
        slots[index] = Slot()
        count -= 1
        // Backward-shift deletion: move later members of the run into the hole when their
        // home position does not lie cyclically in (hole, position].
        var hole = index
        var next = (index + 1) & mask
        while slots[next].ref != 0 {
            let wanted = home(slots[next].ref)
            let between = hole <= next ? (wanted > hole && wanted <= next) : (wanted > hole || wanted <= next)
            if !between {
                slots[hole] = slots[next]
                slots[next] = Slot()
                hole = next
            }
            next = (next + 1) & mask
        }
        if bits > 3 && count * 8 < slots.count { resize(to: bits - 1) }
    }

    /// Every series in the table.
    var values: [MemSeries] { slots.compactMap(\.series) }

    private mutating func resize(to newBits: Int) {
        let old = slots
        bits = newBits
        slots = [Slot](repeating: Slot(), count: 1 << newBits)
        count = 0
        let mask = slots.count - 1
        for slot in old where slot.ref != 0 {
            var index = home(slot.ref)
            while slots[index].ref != 0 { index = (index + 1) & mask }
            slots[index] = slot
            count += 1
        }
    }
}
