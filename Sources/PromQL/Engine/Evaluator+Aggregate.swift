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
                throw QueryError(.execution, "invalid label name \(quoteLabelValue(label))")
            }
        }
        var out: [Vector] = []
        out.reserveCapacity(vectors.count)
        for (index, vector) in vectors.enumerated() {
            try checkInterrupts()
            let param = scalarParams?[index]
            out.append(try aggregateStep(aggregate, vector, param: param, label: stringParam, time: steps.time(index)))
        }
        return .vector(out)
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
        case .topk, .bottomk, .limitk, .limitRatio:
            return try selectK(aggregate, vector, param: param ?? .nan)
        case .countValues:
            var counts: [Labels: Int] = [:]
            var order: [Labels] = []
            for element in vector {
                var builder = LabelsBuilder(groupLabels(element.labels, aggregate))
                builder.set(label ?? "", InstantKernels.formatFloatPositional(element.value))
                let key = builder.labels()
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            return order.map { VectorElement(labels: $0, value: Double(counts[$0]!), timestamp: time) }
        default:
            break
        }
        if aggregate.op == .quantile, let q = param, q < 0 || q > 1 || q.isNaN {
            annotations.warn(annotationText(.warning, "quantile value should be between 0 and 1, got \(formatGoFloatG(q))",
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

    private func selectK(_ aggregate: AggregateExpr, _ vector: Vector, param: Double) throws(QueryError) -> Vector {
        if aggregate.op == .limitRatio {
            if param.isNaN { throw QueryError(.execution, "Ratio value is NaN") }
            var ratio = param
            if ratio < -1 || ratio > 1 {
                annotations.warn(annotationText(.warning, "ratio value should be between -1 and 1, got \(formatGoFloatG(ratio)), capping to \(ratio < 0 ? -1 : 1)", aggregate.parameter?.position ?? aggregate.position))
                ratio = ratio < 0 ? -1 : 1
            }
            return vector.filter { LimitRatio.keeps($0.labels, ratio: ratio) }
        }
        if param.isNaN { throw QueryError(.execution, "Parameter value is NaN") }
        guard param >= 1, !vector.isEmpty else { return [] }
        let k = param >= Double(vector.count) ? vector.count : Int(param)
        var groups: [Labels: Int] = [:]
        var heaps: [[VectorElement]] = []
        for element in vector {
            let key = groupLabels(element.labels, aggregate)
            let at: Int
            if let existing = groups[key] {
                at = existing
            } else {
                at = heaps.count
                groups[key] = at
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
