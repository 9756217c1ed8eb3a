import PharosCore

/// A half-open byte range [start, end) into the query text.
package struct PositionRange: Hashable, Sendable {
    package var start: Int
    package var end: Int
    package init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// The type of value an expression evaluates to.
package enum ValueType: String, Sendable, Hashable {
    case scalar, vector = "instant vector", matrix = "range vector", string
}

/// A parsed PromQL expression. Value-typed tree; `indirect` where recursive.
///
/// Every node keeps its position range into the original text (for errors and annotations).
package indirect enum Expr: Hashable, Sendable {
    case number(NumberLiteral)
    case string(StringLiteral)
    case vectorSelector(VectorSelector)
    case matrixSelector(MatrixSelector)
    case subquery(SubqueryExpr)
    case call(Call)
    case aggregate(AggregateExpr)
    case binary(BinaryExpr)
    case unary(UnaryExpr)
    case paren(ParenExpr)
    /// `step()`-free wrapper the engine uses for expressions constant over steps (`@` pinned).
    case stepInvariant(StepInvariantExpr)
}

package struct NumberLiteral: Hashable, Sendable {
    package var value: Double
    package var position: PositionRange
    package init(value: Double, position: PositionRange) {
        self.value = value
        self.position = position
    }
    package static func == (a: Self, b: Self) -> Bool {
        a.position == b.position && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
    package func hash(into h: inout Hasher) { h.combine(position) }
}

package struct StringLiteral: Hashable, Sendable {
    package var value: String
    package var position: PositionRange
    package init(value: String, position: PositionRange) {
        self.value = value
        self.position = position
    }
}

/// `@` modifier: a fixed timestamp in ms, or the query's start/end.
package enum AtModifier: Hashable, Sendable {
    case timestamp(Int64)
    case start
    case end
}

package struct VectorSelector: Hashable, Sendable {
    /// The metric name if given outside braces (or via a quoted name), else nil.
    package var name: String?
    /// All matchers, including the `__name__` equality matcher for a name outside braces.
    package var matchers: [LabelMatcher]
    /// Offset in ms (negative allowed). 0 when absent.
    package var offset: Int64
    package var at: AtModifier?
    package var position: PositionRange
    /// Experimental: an offset that depends on `step()`/`range()` (then `offset` is 0).
    package var offsetExpr: DurationExpr?
    /// Experimental `anchored` modifier on a range selector (set on the inner selector).
    package var anchored: Bool
    /// Experimental `smoothed` modifier on a range selector (set on the inner selector).
    package var smoothed: Bool

    package init(name: String?, matchers: [LabelMatcher], offset: Int64 = 0, at: AtModifier? = nil,
                 position: PositionRange, offsetExpr: DurationExpr? = nil, anchored: Bool = false,
                 smoothed: Bool = false) {
        self.name = name
        self.matchers = matchers
        self.offset = offset
        self.at = at
        self.position = position
        self.offsetExpr = offsetExpr
        self.anchored = anchored
        self.smoothed = smoothed
    }
}

package struct MatrixSelector: Hashable, Sendable {
    /// Always a `.vectorSelector`; offset and `@` live on it.
    package var vectorSelector: VectorSelector
    /// Range in ms.
    package var range: Int64
    /// Ends at the closing `]` (or after the modifiers, which the parser moves onto the selector).
    package var position: PositionRange
    /// Experimental: a range that depends on `step()`/`range()` (then `range` is 0).
    package var rangeExpr: DurationExpr?

    package init(vectorSelector: VectorSelector, range: Int64, position: PositionRange,
                 rangeExpr: DurationExpr? = nil) {
        self.vectorSelector = vectorSelector
        self.range = range
        self.position = position
        self.rangeExpr = rangeExpr
    }
}

package struct SubqueryExpr: Hashable, Sendable {
    package var expr: Expr
    package var range: Int64
    /// Step in ms; 0 means "use the default evaluation interval".
    package var step: Int64
    package var offset: Int64
    package var at: AtModifier?
    package var position: PositionRange
    /// Experimental: range, step and offset that depend on `step()`/`range()` (the Int64 field is 0).
    package var rangeExpr: DurationExpr?
    package var stepExpr: DurationExpr?
    package var offsetExpr: DurationExpr?

    package init(expr: Expr, range: Int64, step: Int64, offset: Int64 = 0, at: AtModifier? = nil,
                 position: PositionRange, rangeExpr: DurationExpr? = nil, stepExpr: DurationExpr? = nil,
                 offsetExpr: DurationExpr? = nil) {
        self.expr = expr
        self.range = range
        self.step = step
        self.offset = offset
        self.at = at
        self.position = position
        self.rangeExpr = rangeExpr
        self.stepExpr = stepExpr
        self.offsetExpr = offsetExpr
    }
}

package struct Call: Hashable, Sendable {
    package var function: FunctionSignature
    package var args: [Expr]
    package var position: PositionRange

    package init(function: FunctionSignature, args: [Expr], position: PositionRange) {
        self.function = function
        self.args = args
        self.position = position
    }
}

package enum AggregateOp: String, Sendable, Hashable, CaseIterable {
    case sum, min, max, avg, group, stddev, stdvar, count
    case countValues = "count_values"
    case topk, bottomk, quantile, limitk
    case limitRatio = "limit_ratio"

    /// Ops that take a parameter before the vector.
    package var takesParameter: Bool {
        switch self {
        case .countValues, .topk, .bottomk, .quantile, .limitk, .limitRatio: return true
        default: return false
        }
    }
}

package struct AggregateExpr: Hashable, Sendable {
    package var op: AggregateOp
    package var expr: Expr
    package var parameter: Expr?
    /// Labels of `by (…)` or `without (…)`, in the order written.
    package var grouping: [String]
    package var without: Bool
    package var position: PositionRange

    package init(op: AggregateOp, expr: Expr, parameter: Expr?, grouping: [String], without: Bool,
                 position: PositionRange) {
        self.op = op
        self.expr = expr
        self.parameter = parameter
        self.grouping = grouping
        self.without = without
        self.position = position
    }
}

package enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and, or, unless

    package var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: return true
        default: return false
        }
    }

    package var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Prometheus' precedence: higher binds tighter.
    package var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .eql, .neq, .gtr, .lss, .gte, .lte: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod, .atan2: return 5
        case .pow: return 6
        }
    }

    package var isRightAssociative: Bool { self == .pow }
}

package enum VectorMatchCardinality: Hashable, Sendable {
    case oneToOne, manyToOne, oneToMany, manyToMany
}

/// `on`/`ignoring` and `group_left`/`group_right` of a binary expression between two vectors.
package struct VectorMatching: Hashable, Sendable {
    package var cardinality: VectorMatchCardinality
    /// Labels of `on(…)` or `ignoring(…)`.
    package var matchingLabels: [String]
    /// True for `on`, false for `ignoring` (and when neither was written).
    package var on: Bool
    /// Extra labels of `group_left(…)`/`group_right(…)`.
    package var include: [String]
    /// Experimental `fill(v)`/`fill_left(v)`: value for series missing on the left side.
    package var fillLeft: Double?
    /// Experimental `fill(v)`/`fill_right(v)`: value for series missing on the right side.
    package var fillRight: Double?

    package init(cardinality: VectorMatchCardinality, matchingLabels: [String] = [], on: Bool = false,
                 include: [String] = [], fillLeft: Double? = nil, fillRight: Double? = nil) {
        self.cardinality = cardinality
        self.matchingLabels = matchingLabels
        self.on = on
        self.include = include
        self.fillLeft = fillLeft
        self.fillRight = fillRight
    }
}

package struct BinaryExpr: Hashable, Sendable {
    package var op: BinaryOp
    package var lhs: Expr
    package var rhs: Expr
    /// Set when both sides are vectors (set operators get `.manyToMany`).
    package var matching: VectorMatching?
    /// The `bool` modifier of a comparison.
    package var returnBool: Bool
    package var position: PositionRange

    package init(op: BinaryOp, lhs: Expr, rhs: Expr, matching: VectorMatching?, returnBool: Bool,
                 position: PositionRange) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.matching = matching
        self.returnBool = returnBool
        self.position = position
    }
}

package struct UnaryExpr: Hashable, Sendable {
    /// `.sub` or `.add`.
    package var op: BinaryOp
    package var expr: Expr
    package var position: PositionRange

    package init(op: BinaryOp, expr: Expr, position: PositionRange) {
        self.op = op
        self.expr = expr
        self.position = position
    }
}

package struct ParenExpr: Hashable, Sendable {
    package var expr: Expr
    package var position: PositionRange
    package init(expr: Expr, position: PositionRange) {
        self.expr = expr
        self.position = position
    }
}

package struct StepInvariantExpr: Hashable, Sendable {
    package var expr: Expr
    package init(expr: Expr) { self.expr = expr }
}

/// A function's name, argument types and result type (Prometheus' `parser.Functions`).
package struct FunctionSignature: Hashable, Sendable {
    package var name: String
    package var argTypes: [ValueType]
    /// Number of trailing optional arguments; -1 … variadic is expressed by `variadic`.
    package var variadic: Int
    package var returnType: ValueType
    package var experimental: Bool

    package init(name: String, argTypes: [ValueType], variadic: Int = 0, returnType: ValueType,
                 experimental: Bool = false) {
        self.name = name
        self.argTypes = argTypes
        self.variadic = variadic
        self.returnType = returnType
        self.experimental = experimental
    }
}

extension Expr {
    package var position: PositionRange {
        switch self {
        case .number(let e): return e.position
        case .string(let e): return e.position
        case .vectorSelector(let e): return e.position
        case .matrixSelector(let e): return e.position
        case .subquery(let e): return e.position
        case .call(let e): return e.position
        case .aggregate(let e): return e.position
        case .binary(let e): return e.position
        case .unary(let e): return e.position
        case .paren(let e): return e.position
        case .stepInvariant(let e): return e.expr.position
        }
    }

    /// The static type, as Prometheus' `Expr.Type()`.
    package var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .call(let e): return e.function.returnType
        case .aggregate: return .vector
        case .binary(let e):
            return e.lhs.type == .scalar && e.rhs.type == .scalar ? .scalar : .vector
        case .unary(let e): return e.expr.type
        case .paren(let e): return e.expr.type
        case .stepInvariant(let e): return e.expr.type
        }
    }
}
