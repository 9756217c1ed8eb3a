/// The kind of a PromQL token, after Prometheus' lexer item types.
package enum TokenKind: UInt8, Sendable, Hashable {
    case eof, error, identifier, metricIdentifier, string, number, duration
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, assign, colon
    // Operators.
    case add, sub, mul, div, mod, pow, eqlc, neq, lte, lss, gte, gtr, eqlRegex, neqRegex
    case land, lor, lunless, atan2, at
    /// Histogram trim operators `</` and `>/` (experimental in Prometheus; rejected by this parser).
    case trimUpper, trimLower
    // Aggregators.
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk, countValues, quantile
    case limitk, limitRatio
    // Keywords.
    case offset, by, without, on, ignoring, groupLeft, groupRight, bool, smoothed, anchored
    case fill, fillLeft, fillRight
    // Preprocessors.
    case start, end, step, range

    var isOperator: Bool { rawValue >= TokenKind.add.rawValue && rawValue <= TokenKind.trimLower.rawValue }
    var isAggregator: Bool { rawValue >= TokenKind.sum.rawValue && rawValue <= TokenKind.limitRatio.rawValue }
    var isKeyword: Bool { rawValue >= TokenKind.offset.rawValue && rawValue <= TokenKind.fillRight.rawValue }

    /// The binary operator this token spells, if any.
    var binaryOp: BinaryOp? {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .mod: return .mod
        case .pow: return .pow
        case .atan2: return .atan2
        case .eqlc: return .eql
        case .neq: return .neq
        case .gtr: return .gtr
        case .lss: return .lss
        case .gte: return .gte
        case .lte: return .lte
        case .land: return .and
        case .lor: return .or
        case .lunless: return .unless
        default: return nil
        }
    }

    var aggregateOp: AggregateOp? {
        switch self {
        case .sum: return .sum
        case .avg: return .avg
        case .count: return .count
        case .min: return .min
        case .max: return .max
        case .group: return .group
        case .stddev: return .stddev
        case .stdvar: return .stdvar
        case .topk: return .topk
        case .bottomk: return .bottomk
        case .countValues: return .countValues
        case .quantile: return .quantile
        case .limitk: return .limitk
        case .limitRatio: return .limitRatio
        default: return nil
        }
    }

    /// Tokens that may also stand for a metric name (Prometheus' `metric_identifier` rule).
    var canBeMetricName: Bool {
        switch self {
        case .identifier, .metricIdentifier, .land, .lor, .lunless, .offset, .by, .without,
             .start, .end, .step, .range, .smoothed, .anchored:
            return true
        default: return isAggregator
        }
    }

    /// Tokens that may name a label in grouping clauses (Prometheus' `maybe_label` rule).
    var canBeLabel: Bool {
        switch self {
        case .identifier, .metricIdentifier, .atan2: return true
        default: return isKeyword || isAggregator || self == .land || self == .lor || self == .lunless
            || self == .start || self == .end || self == .step || self == .range
        }
    }

    /// Fixed spellings (Prometheus' `ItemTypeStr`); nil for tokens whose text varies.
    var fixedText: String? {
        switch self {
        case .eof, .error, .identifier, .metricIdentifier, .string, .number, .duration: return nil
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .comma: return ","
        case .assign: return "="
        case .colon: return ":"
        default: return nil
        }
    }
}

/// Keyword spellings, matched case-insensitively, as in Prometheus' lexer.
let keywordTable: [String: TokenKind] = [
    "and": .land, "or": .lor, "unless": .lunless, "atan2": .atan2,
    "sum": .sum, "avg": .avg, "count": .count, "min": .min, "max": .max, "group": .group,
    "stddev": .stddev, "stdvar": .stdvar, "topk": .topk, "bottomk": .bottomk,
    "count_values": .countValues, "quantile": .quantile, "limitk": .limitk, "limit_ratio": .limitRatio,
    "offset": .offset, "smoothed": .smoothed, "anchored": .anchored, "by": .by, "without": .without,
    "on": .on, "ignoring": .ignoring, "group_left": .groupLeft, "group_right": .groupRight,
    "fill": .fill, "fill_left": .fillLeft, "fill_right": .fillRight, "bool": .bool,
    "start": .start, "end": .end, "step": .step, "range": .range,
    "inf": .number, "nan": .number,
]

/// One lexed token: a kind and its byte range in the input. Errors carry their message.
package struct Token: Sendable, Hashable {
    package var kind: TokenKind
    package var start: Int
    package var end: Int
    /// For `.error` tokens: the lexer's message.
    package var message: String?

    var range: PositionRange { PositionRange(start: start, end: end) }
}
