/// The notifier's bounded queue (Prometheus' `notifier.Manager.queue`): appends drop the oldest
/// alerts when full, batches come off the front. A value; the forwarder guards it with a lock.
struct AlertQueue {
    /// Prometheus 3's `maxBatchSize`: alerts per POST.
    static let maxBatchSize = 64

    let capacity: Int
    private(set) var alerts: [ForwardedAlert] = []
    private var head = 0

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    var count: Int { alerts.count - head }

    /// Appends `new`; returns how many alerts were dropped to stay within capacity (the
    /// oldest of `new` first when `new` alone is larger, then the oldest queued ones).
    mutating func append(_ new: [ForwardedAlert]) -> Int {
        var new = new[...]
        var dropped = 0
        if new.count > capacity {
            dropped += new.count - capacity
            new = new.suffix(capacity)
        }
        let overflow = count + new.count - capacity
        if overflow > 0 {
            head += overflow
            dropped += overflow
        }
        alerts.append(contentsOf: new)
        compactIfNeeded()
        return dropped
    }

    /// Up to `maxBatchSize` alerts from the front; empty when the queue is.
    mutating func nextBatch() -> [ForwardedAlert] {
        let end = min(head + Self.maxBatchSize, alerts.count)
        let batch = Array(alerts[head..<end])
        head = end
        compactIfNeeded()
        return batch
    }

    private mutating func compactIfNeeded() {
        if head == alerts.count {
            alerts.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > alerts.count {
            alerts.removeFirst(head)
            head = 0
        }
    }
}
