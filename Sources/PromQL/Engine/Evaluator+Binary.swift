import Foundation
import PharosCore
import PromQLParser

extension Evaluator {
    /// Drops `__name__` now, or marks it for removal at the end under delayed name removal.
    func droppingName(_ element: VectorElement) -> VectorElement {
        var element = element
        if options.enableDelayedNameRemoval {
            element.dropName = true
        } else {
            element.labels = removingNameLabels(element.labels)
        }
        return element
    }

    func evalBinary(_ binary: BinaryExpr, _ steps: StepRange) throws(QueryError) -> EvalValue {
        let lhs = try eval(binary.lhs, steps)
        let rhs = try eval(binary.rhs, steps)
        let op = binary.op
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            return .scalar(zip(l, r).map { pair in
                let (value, keep) = BinaryArithmetic.apply(op, pair.0, pair.1)
                return op.isComparison ? (keep ? 1 : 0) : value
            })
        case (.vector(let vectors), .scalar(let scalars)):
            return .vector(try (0..<vectors.count).map { i throws(QueryError) in
                try checked(vectorScalar(op, vectors[i], scalars[i], swap: false, returnBool: binary.returnBool))
            })
        case (.scalar(let scalars), .vector(let vectors)):
            return .vector(try (0..<vectors.count).map { i throws(QueryError) in
                try checked(vectorScalar(op, vectors[i], scalars[i], swap: true, returnBool: binary.returnBool))
            })
        case (.vector(let left), .vector(let right)):
            let matching = binary.matching ?? VectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne)
            var out: [Vector] = []
            out.reserveCapacity(left.count)
            for i in 0..<left.count {
                try checkInterrupts()
                switch op {
                case .and: out.append(setAnd(left[i], right[i], matching))
                case .or: out.append(setOr(left[i], right[i], matching))
                case .unless: out.append(setUnless(left[i], right[i], matching))
                default:
                    out.append(try checked(vectorVector(op, left[i], right[i], matching, returnBool: binary.returnBool)))
                }
            }
            return .vector(out)
        default:
            throw QueryError(.execution, "binary expression must contain only scalar and instant vector types")
        }
    }

    /// Rejects a step result holding one label set twice.
    func checked(_ vector: Vector) throws(QueryError) -> Vector {
        if !options.enableDelayedNameRemoval && vector.hasDuplicateLabelsets {
            throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
        }
        return vector
    }

    private func vectorScalar(_ op: BinaryOp, _ vector: Vector, _ scalar: Double, swap: Bool,
                              returnBool: Bool) -> Vector {
        var out = Vector()
        out.reserveCapacity(vector.count)
        for element in vector {
            var (l, r) = (element.value, scalar)
            if swap { (l, r) = (r, l) }
            var (value, keep) = BinaryArithmetic.apply(op, l, r)
            if op.isComparison && swap { value = r }
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            var result = VectorElement(labels: element.labels, value: value, timestamp: element.timestamp, dropName: element.dropName)
            if BinaryArithmetic.dropsMetricName(op) || returnBool { result = droppingName(result) }
            out.append(result)
        }
        return out
    }

    private func vectorVector(_ op: BinaryOp, _ left: Vector, _ right: Vector, _ matching: VectorMatching,
                              returnBool: Bool) throws(QueryError) -> Vector {
        let filling = matching.fillLeft != nil || matching.fillRight != nil
        if !filling && (left.isEmpty || right.isEmpty) { return [] }
        var (lhs, rhs) = (left, right)
        if matching.cardinality == .oneToMany { (lhs, rhs) = (rhs, lhs) }
        var oneSide: [MatchSignature: VectorElement] = [:]
        for element in rhs {
            let signature = MatchSignature(element.labels, matching)
            if let duplicate = oneSide[signature] {
                let side = matching.cardinality == .oneToMany ? "left" : "right"
                let group = MatchSignature.matchedLabels(element.labels, matching)
                let (first, second) = element.labels < duplicate.labels ? (element, duplicate) : (duplicate, element)
                throw QueryError(.execution, "found duplicate series for the match group \(group.goString) on the \(side) hand-side of the operation: [\(first.labels.goString), \(second.labels.goString)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            oneSide[signature] = element
        }
        var matched: [MatchSignature: Set<Labels>] = [:]
        var out = Vector()
        for element in lhs {
            let signature = MatchSignature(element.labels, matching)
            guard let other = oneSide[signature] else { continue }
            var (l, r) = (element.value, other.value)
            if matching.cardinality == .oneToMany { (l, r) = (r, l) }
            var (value, keep) = BinaryArithmetic.apply(op, l, r)
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            var labels = resultLabels(element.labels, other.labels, op, matching)
            var dropName = element.dropName
            if returnBool || BinaryArithmetic.dropsMetricName(op) {
                if options.enableDelayedNameRemoval { dropName = true } else { labels = removingNameLabels(labels) }
            }
            if matching.cardinality == .oneToOne {
                if matched[signature] != nil {
                    throw QueryError(.execution, "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[signature] = []
            } else if matched[signature, default: []].insert(labels).inserted == false {
                throw QueryError(.execution, "multiple matches for labels: grouping labels must ensure unique matches")
            }
            guard keep else { continue }
            out.append(VectorElement(labels: labels, value: value, timestamp: element.timestamp, dropName: dropName))
        }
        if filling { out += fillMissing(op, lhs, rhs, oneSide, matching, returnBool: returnBool) }
        return out
    }

    /// The experimental `fill`/`fill_left`/`fill_right` modifiers: samples without a partner
    /// are combined with the fill value. Sides are the internal ones (swapped for group_right).
    private func fillMissing(_ op: BinaryOp, _ lhs: Vector, _ rhs: Vector, _ oneSide: [MatchSignature: VectorElement],
                             _ matching: VectorMatching, returnBool: Bool) -> Vector {
        var out = Vector()
        func emit(_ labels: Labels, _ internalLeft: Double, _ internalRight: Double, _ dropName: Bool, _ time: Timestamp) {
            var (l, r) = (internalLeft, internalRight)
            if matching.cardinality == .oneToMany { (l, r) = (r, l) }
            var (value, keep) = BinaryArithmetic.apply(op, l, r)
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { return }
            var element = VectorElement(labels: labels, value: value, timestamp: time, dropName: dropName)
            if returnBool || BinaryArithmetic.dropsMetricName(op) { element = droppingName(element) }
            out.append(element)
        }
        if let fill = matching.fillRight {
            for element in lhs where oneSide[MatchSignature(element.labels, matching)] == nil {
                emit(resultLabels(element.labels, .empty, op, matching), element.value, fill, element.dropName, element.timestamp)
            }
        }
        if let fill = matching.fillLeft {
            let present = Set(lhs.map { MatchSignature($0.labels, matching) })
            for element in rhs where !present.contains(MatchSignature(element.labels, matching)) {
                let base = MatchSignature.matchedLabels(element.labels, matching)
                emit(resultLabels(base, .empty, op, matching), fill, element.value, false, element.timestamp)
            }
        }
        return out
    }

    private func resultLabels(_ lhs: Labels, _ rhs: Labels, _ op: BinaryOp, _ matching: VectorMatching) -> Labels {
        var builder = LabelsBuilder(lhs)
        if matching.cardinality == .oneToOne {
            if matching.on {
                builder.keep(Set(matching.matchingLabels))
            } else {
                for name in matching.matchingLabels { builder.delete(name) }
            }
        }
        for name in matching.include {
            builder.set(name, rhs[name])
        }
        return builder.labels()
    }

    private func setAnd(_ lhs: Vector, _ rhs: Vector, _ matching: VectorMatching) -> Vector {
        if lhs.isEmpty || rhs.isEmpty { return [] }
        let right = Set(rhs.map { MatchSignature($0.labels, matching) })
        return lhs.filter { right.contains(MatchSignature($0.labels, matching)) }
    }

    private func setOr(_ lhs: Vector, _ rhs: Vector, _ matching: VectorMatching) -> Vector {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        let left = Set(lhs.map { MatchSignature($0.labels, matching) })
        return lhs + rhs.filter { !left.contains(MatchSignature($0.labels, matching)) }
    }

    private func setUnless(_ lhs: Vector, _ rhs: Vector, _ matching: VectorMatching) -> Vector {
        if lhs.isEmpty || rhs.isEmpty { return lhs }
        let right = Set(rhs.map { MatchSignature($0.labels, matching) })
        return lhs.filter { !right.contains(MatchSignature($0.labels, matching)) }
    }
}

/// The label values two series are matched on (`on(…)` keeps, `ignoring(…)` drops, plus the name).
struct MatchSignature: Hashable {
    let labels: Labels

    init(_ labels: Labels, _ matching: VectorMatching) {
        self.labels = MatchSignature.matchedLabels(labels, matching)
    }

    static func matchedLabels(_ labels: Labels, _ matching: VectorMatching) -> Labels {
        if matching.on { return labels.keeping(matching.matchingLabels) }
        return labels.removing(matching.matchingLabels + [Labels.metricName])
    }
}

/// Element-wise operator semantics shared by scalars and vectors.
enum BinaryArithmetic {
    /// `(value, keep)`: arithmetic always keeps; comparisons keep when true and return the lhs.
    static func apply(_ op: BinaryOp, _ l: Double, _ r: Double) -> (Double, Bool) {
        switch op {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .mod: return (fmod(l, r), true)
        case .pow: return (Foundation.pow(l, r), true)
        case .atan2: return (Foundation.atan2(l, r), true)
        case .eql: return (l, l == r)
        case .neq: return (l, l != r)
        case .gtr: return (l, l > r)
        case .lss: return (l, l < r)
        case .gte: return (l, l >= r)
        case .lte: return (l, l <= r)
        case .and, .or, .unless: return (l, true)
        }
    }

    static func dropsMetricName(_ op: BinaryOp) -> Bool {
        switch op {
        case .add, .sub, .mul, .div, .mod, .pow, .atan2: return true
        default: return false
        }
    }
}

extension Labels {
    /// Go's `labels.Labels.String()`: `{a="1", b="2"}` with every label inside the braces.
    var goString: String {
        "{" + map { "\($0.name)=\(goQuote($0.value))" }.joined(separator: ", ") + "}"
    }
}
