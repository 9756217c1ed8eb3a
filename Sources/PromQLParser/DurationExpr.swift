import Foundation

/// Experimental duration arithmetic (`foo[5m+1m]`, `offset step()*2`, `[min(step(), 1m):]`).
///
/// Numbers are seconds. The parser folds constant expressions into the millisecond fields and
/// keeps a `DurationExpr` on a node only when it depends on the query's `step()` or `range()`.
package indirect enum DurationExpr: Hashable, Sendable {
    case seconds(Double)
    /// The query step (instant queries: 0).
    case step
    /// The query range, end minus start (instant queries: 0).
    case range
    case negate(DurationExpr)
    /// `+ - * / % ^`.
    case binary(BinaryOp, DurationExpr, DurationExpr)
    case min(DurationExpr, DurationExpr)
    case max(DurationExpr, DurationExpr)
    /// Parentheses as written, kept for printing.
    case paren(DurationExpr)

    /// The value in seconds, or nil on division or modulo by zero.
    package func seconds(step: Double, range: Double) -> Double? {
        switch self {
        case .seconds(let v): return v
        case .step: return step
        case .range: return range
        case .negate(let e): return e.seconds(step: step, range: range).map { -$0 }
        case .paren(let e): return e.seconds(step: step, range: range)
        case .min(let a, let b), .max(let a, let b):
            guard let x = a.seconds(step: step, range: range), let y = b.seconds(step: step, range: range) else {
                return nil
            }
            if case .min = self { return Swift.min(x, y) }
            return Swift.max(x, y)
        case .binary(let op, let a, let b):
            guard let x = a.seconds(step: step, range: range), let y = b.seconds(step: step, range: range) else {
                return nil
            }
            switch op {
            case .add: return x + y
            case .sub: return x - y
            case .mul: return x * y
            case .div: return y == 0 ? nil : x / y
            case .mod: return y == 0 ? nil : x.truncatingRemainder(dividingBy: y)
            case .pow: return Foundation.pow(x, y)
            default: return nil
            }
        }
    }

    /// True when the value does not depend on `step()` or `range()`.
    package var isConstant: Bool {
        switch self {
        case .seconds: return true
        case .step, .range: return false
        case .negate(let e), .paren(let e): return e.isConstant
        case .binary(_, let a, let b), .min(let a, let b), .max(let a, let b): return a.isConstant && b.isConstant
        }
    }
}
