import Foundation
import PharosCore
import PromQLParser

extension Evaluator {
    func evalAggregate(_ aggregate: AggregateExpr, _ steps: StepRange) throws(QueryError) -> EvalValue {
        let vectors = try evalVectors(aggregate.expr, steps)
        var scalarParams: [Double]?
        var stringParam: String?
        if let parameter = aggregate.parameter {
            switch try eval(parameter, steps) {
            case .scalar(let values): scalarParams = values
            case .string(let value): stringParam = value
            default: throw QueryError(.execution, "aggregation parameter must be a scalar or string")
            }
        }
        if aggregate.op == .countValues {
            let label = stringParam ?? ""
            guard Labels.isValidLegacyName(label) || (!label.isEmpty && label.unicodeScalars.allSatisfy { $0.value != 0xFFFD }) else {
                throw QueryError(.execution, "invalid label name \(goQuote(label))")
            }
        }
        var out: [Vector] = []
        out.reserveCapacity(vectors.count)
        var grouper = GroupKeyCache(singleGroup: !aggregate.without && aggregate.grouping.isEmpty)
        for (index, vector) in vectors.enumerated() {
            try checkInterrupts()
            let param = scalarParams?[index]
            switch aggregate.op {
            case .topk, .bottomk, .limitk:
                out.append(try selectK(aggregate, vector, param: param ?? .nan, grouper: &grouper))
            case .limitRatio, .countValues:
                out.append(try aggregateStep(aggregate, vector, param: param, label: stringParam, time: steps.time(index)))
            default:
                out.append(aggregateGroups(aggregate, vector, param: param, time: steps.time(index), grouper: &grouper))
            }
        }
        return .vector(out)
    }

    /// One step of a plain aggregation (sum, avg, count, …): groups come from `grouper`, which
    /// reduces each input label set once per query rather than once per step.
    private func aggregateGroups(_ aggregate: AggregateExpr, _ vector: Vector, param: Double?, time: Timestamp,
                                 grouper: inout GroupKeyCache) -> Vector {
        if aggregate.op == .quantile, let q = param, q < 0 || q > 1 || q.isNaN {
            annotations.warn(annotationText(.warning, "quantile value should be between 0 and 1, got \(GoFloat.format(q))",
                                            aggregate.parameter?.position ?? aggregate.position))
        }
        var accumulators: [GroupAccumulator] = []
        var used: [Int] = []
        for (position, element) in vector.enumerated() {
            let group = grouper.cachedGroup(of: element.labels, at: position)
                ?? grouper.group(of: element.labels, at: position) { groupLabels($0, aggregate) }
            let slot = grouper.slots[group]
            if slot >= 0 {
                accumulators[slot].add(element.value, aggregate.op)
                accumulators[slot].dropName = accumulators[slot].dropName || element.dropName
            } else {
                grouper.slots[group] = accumulators.count
                used.append(group)
                var accumulator = GroupAccumulator(labels: grouper.keys[group], first: element.value, op: aggregate.op)
                accumulator.dropName = element.dropName
                accumulators.append(accumulator)
            }
        }
        for group in used { grouper.slots[group] = -1 }
        return accumulators.map {
            VectorElement(labels: $0.labels, value: $0.result(aggregate.op, param: param ?? .nan), timestamp: time,
                          dropName: $0.dropName && $0.labels.has(Labels.metricName))
        }
    }

    /// The group a sample falls in: its labels reduced by `by`/`without`.
    private func groupLabels(_ labels: Labels, _ aggregate: AggregateExpr) -> Labels {
        if aggregate.without {
            return labels.removing(aggregate.grouping + nameLabels)
        }
        if aggregate.grouping.isEmpty { return .empty }
        if aggregate.grouping.count == 1 {
            let name = aggregate.grouping[0]
            return Labels(sortedUnchecked: labels.pairs.filter { $0.name == name })
        }
        return labels.keeping(aggregate.grouping)
    }

    private func aggregateStep(_ aggregate: AggregateExpr, _ vector: Vector, param: Double?, label: String?,
                               time: Timestamp) throws(QueryError) -> Vector {
        switch aggregate.op {
        case .limitRatio:
            return try limitRatio(aggregate, vector, param: param ?? .nan)
        case .countValues:
            var counts: [Labels: Int] = [:]
            var order: [Labels] = []
            for element in vector {
                var builder = LabelsBuilder(groupLabels(element.labels, aggregate))
                builder.set(label ?? "", GoFloat.format(element.value, .f))
                let key = builder.labels()
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            return order.map { VectorElement(labels: $0, value: Double(counts[$0]!), timestamp: time) }
        default:
            break
        }
        if aggregate.op == .quantile, let q = param, q < 0 || q > 1 || q.isNaN {
            annotations.warn(annotationText(.warning, "quantile value should be between 0 and 1, got \(GoFloat.format(q))",
                                            aggregate.parameter?.position ?? aggregate.position))
        }
        var groups: [Labels: Int] = [:]
        var accumulators: [GroupAccumulator] = []
        for element in vector {
            let key = groupLabels(element.labels, aggregate)
            if let at = groups[key] {
                accumulators[at].add(element.value, aggregate.op)
                accumulators[at].dropName = accumulators[at].dropName || element.dropName
            } else {
                groups[key] = accumulators.count
                var accumulator = GroupAccumulator(labels: key, first: element.value, op: aggregate.op)
                accumulator.dropName = element.dropName
                accumulators.append(accumulator)
            }
        }
        return accumulators.map {
            VectorElement(labels: $0.labels, value: $0.result(aggregate.op, param: param ?? .nan), timestamp: time,
                          dropName: $0.dropName && $0.labels.has(Labels.metricName))
        }
    }

    private func limitRatio(_ aggregate: AggregateExpr, _ vector: Vector, param: Double) throws(QueryError) -> Vector {
        if param.isNaN { throw QueryError(.execution, "Ratio value is NaN") }
        var ratio = param
        if ratio < -1 || ratio > 1 {
            annotations.warn(annotationText(.warning, "ratio value should be between -1 and 1, got \(GoFloat.format(ratio)), capping to \(ratio < 0 ? -1 : 1)", aggregate.parameter?.position ?? aggregate.position))
            ratio = ratio < 0 ? -1 : 1
        }
        return vector.filter { LimitRatio.keeps($0.labels, ratio: ratio) }
    }

    /// topk, bottomk and limitk at one step; groups come from `grouper` (see `aggregateGroups`).
    private func selectK(_ aggregate: AggregateExpr, _ vector: Vector, param: Double,
                         grouper: inout GroupKeyCache) throws(QueryError) -> Vector {
        if param.isNaN { throw QueryError(.execution, "Parameter value is NaN") }
        guard param >= 1, !vector.isEmpty else { return [] }
        let k = param >= Double(vector.count) ? vector.count : Int(param)
        var heaps: [[VectorElement]] = []
        var used: [Int] = []
        defer { for group in used { grouper.slots[group] = -1 } }
        for (position, element) in vector.enumerated() {
            let group = grouper.cachedGroup(of: element.labels, at: position)
                ?? grouper.group(of: element.labels, at: position) { groupLabels($0, aggregate) }
            var at = grouper.slots[group]
            if at < 0 {
                at = heaps.count
                grouper.slots[group] = at
                used.append(group)
                heaps.append([])
            }
            switch aggregate.op {
            case .limitk:
                if heaps[at].count < k { heaps[at].append(element) }
            case .topk:
                KHeap.offer(element, into: &heaps[at], k: k, less: KHeap.topLess)
            default:
                KHeap.offer(element, into: &heaps[at], k: k, less: KHeap.bottomLess)
            }
        }
        var out = Vector()
        for heap in heaps {
            switch aggregate.op {
            case .limitk: out += heap
            case .topk: out += KHeap.sortedDescending(heap, less: KHeap.topLess)
            default: out += KHeap.sortedDescending(heap, less: KHeap.bottomLess)
            }
        }
        return out
    }
}

/// Group ids of input label sets across the steps of one aggregation.
///
/// Step vectors usually list the same series in the same order, sharing label storage, so the
/// label set at a position is first compared with the one seen there last step (cheap when
/// the storage is shared); only other label sets are reduced and hashed.
struct GroupKeyCache {
    /// Reduced label set of each group id.
    private(set) var keys: [Labels] = []
    /// Per group id: its accumulator index in the current step, or -1.
    var slots: [Int] = []
    private var ids: [Labels: Int] = [:]
    private var lastLabels: [Labels] = []
    private var lastGroup: [Int] = []

    /// `singleGroup`: every label set reduces to the empty set (no `by`, no `without`).
    init(singleGroup: Bool) {
        if singleGroup {
            keys = [.empty]
            slots = [-1]
            ids = [.empty: 0]
            isSingle = true
        } else {
            isSingle = false
        }
    }

    private let isSingle: Bool

    /// The group id of `labels` when it is the label set seen at `position` last step (or
    /// the aggregation has a single group); nil otherwise. Cheap: no reduction, no hashing.
    @inline(__always)
    func cachedGroup(of labels: Labels, at position: Int) -> Int? {
        if isSingle { return 0 }
        if position < lastLabels.count, lastLabels[position] == labels { return lastGroup[position] }
        return nil
    }

    /// The group id of `labels`, found at `position` in the step's vector.
    mutating func group(of labels: Labels, at position: Int, reduce: (Labels) -> Labels) -> Int {
        if isSingle { return 0 }
        if position < lastLabels.count, lastLabels[position] == labels { return lastGroup[position] }
        let key = reduce(labels)
        let group: Int
        if let existing = ids[key] {
            group = existing
        } else {
            group = keys.count
            ids[key] = group
            keys.append(key)
            slots.append(-1)
        }
        if position < lastLabels.count {
            lastLabels[position] = labels
            lastGroup[position] = group
        } else {
            lastLabels.append(labels)
            lastGroup.append(group)
        }
        return group
    }
}

/// Running state of one aggregation group (Prometheus' `groupedAggregation`, floats only).
struct GroupAccumulator {
    let labels: Labels
    var value: Double
    var compensation = 0.0
    var mean: Double
    var count = 1.0
    var incrementalMean = false
    var values: [Double]
    var dropName = false

    init(labels: Labels, first: Double, op: AggregateOp) {
        self.labels = labels
        switch op {
        case .stddev, .stdvar: value = first.isNaN || first.isInfinite ? .nan : 0
        case .group, .count: value = 1
        default: value = first
        }
        mean = first
        values = op == .quantile ? [first] : []
    }

    mutating func add(_ f: Double, _ op: AggregateOp) {
        switch op {
        case .sum:
            (value, compensation) = KahanSum.add(f, to: value, compensation: compensation)
        case .avg:
            count += 1
            if !incrementalMean {
                let (sum, c) = KahanSum.add(f, to: value, compensation: compensation)
                if !sum.isInfinite {
                    (value, compensation) = (sum, c)
                    return
                }
                incrementalMean = true
                mean = value / (count - 1)
                compensation /= count - 1
            }
            if mean.isInfinite {
                if f.isInfinite && (mean > 0) == (f > 0) { return }
                if !f.isInfinite && !f.isNaN { return }
            }
            let current = mean + compensation
            (mean, compensation) = KahanSum.add(f / count - current / count, to: mean, compensation: compensation)
        case .max:
            if value < f || value.isNaN { value = f }
        case .min:
            if value > f || value.isNaN { value = f }
        case .count, .group:
            if op == .count { value += 1 }
        case .stddev, .stdvar:
            count += 1
            let delta = f - mean
            mean += delta / count
            value += delta * (f - mean)
        case .quantile:
            values.append(f)
        default:
            break
        }
    }

    func result(_ op: AggregateOp, param: Double) -> Double {
        switch op {
        case .sum: return value + compensation
        case .avg: return incrementalMean ? mean + compensation : value / count + compensation / count
        case .stdvar: return value / count
        case .stddev: return (value / count).squareRoot()
        case .quantile: return InstantKernels.quantile(param, values)
        default: return value
        }
    }
}
