/// Go `container/heap` operations for topk/bottomk, so ties resolve as in Prometheus.
enum KHeap {
    typealias Less = (VectorElement, VectorElement) -> Bool

    /// topk's heap keeps the smallest on top; NaN sorts lowest.
    static func topLess(_ a: VectorElement, _ b: VectorElement) -> Bool {
        if a.value.isNaN && !b.value.isNaN { return true }
        return a.value < b.value
    }

    /// bottomk's heap keeps the largest on top; NaN sorts as the largest.
    static func bottomLess(_ a: VectorElement, _ b: VectorElement) -> Bool {
        if a.value.isNaN && !b.value.isNaN { return true }
        return a.value > b.value
    }

    /// Pushes while below `k`, else replaces the top when `element` beats it.
    static func offer(_ element: VectorElement, into heap: inout [VectorElement], k: Int, less: Less) {
        if heap.count < k {
            heap.append(element)
            up(&heap, heap.count - 1, less)
        } else if less(heap[0], element) {
            heap[0] = element
            if k > 1 { down(&heap, 0, less) }
        }
    }

    /// `sort.Sort(sort.Reverse(heap))`: greatest first.
    static func sortedDescending(_ heap: [VectorElement], less: Less) -> [VectorElement] {
        var items = heap
        // Go sorts short slices with insertion sort; longer ones are unstable anyway.
        for i in 1..<max(items.count, 1) {
            var j = i
            while j > 0 && less(items[j - 1], items[j]) {
                items.swapAt(j, j - 1)
                j -= 1
            }
        }
        return items
    }

    private static func up(_ heap: inout [VectorElement], _ index: Int, _ less: Less) {
        var j = index
        while j > 0 {
            let parent = (j - 1) / 2
            if parent == j || !less(heap[j], heap[parent]) { break }
            heap.swapAt(parent, j)
            j = parent
        }
    }

    private static func down(_ heap: inout [VectorElement], _ index: Int, _ less: Less) {
        var i = index
        let n = heap.count
        while true {
            let left = 2 * i + 1
            if left >= n { break }
            var j = left
            if left + 1 < n && less(heap[left + 1], heap[left]) { j = left + 1 }
            if !less(heap[j], heap[i]) { break }
            heap.swapAt(i, j)
            i = j
        }
    }
}
