import Foundation
import PharosCore
import PromQLParser

/// Maps byte offsets of the query text to 1-based `line:col`, as annotation suffixes need.
struct QueryPositions: Sendable {
    private let lineStarts: [Int]

    init(_ query: String) {
        var starts = [0]
        for (offset, byte) in query.utf8.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// `line:col` of a byte offset; columns count bytes from 1.
    func lineColumn(_ offset: Int) -> String {
        var line = 0
        while line + 1 < lineStarts.count, lineStarts[line + 1] <= offset { line += 1 }
        return "\(line + 1):\(offset - lineStarts[line] + 1)"
    }
}

enum AnnotationKind {
    case warning, info
}

extension Evaluator {
    /// `PromQL warning: <message> (line:col)` with the position of the sub-expression.
    func annotationText(_ kind: AnnotationKind, _ message: String, _ position: PositionRange) -> String {
        let prefix = kind == .warning ? "PromQL warning: " : "PromQL info: "
        return prefix + message + " (" + positions.lineColumn(position.start) + ")"
    }

    func warn(_ message: String, _ position: PositionRange) {
        annotations.warn(annotationText(.warning, message, position))
    }

    func info(_ message: String, _ position: PositionRange) {
        annotations.info(annotationText(.info, message, position))
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` as `%g`-style shortest text (for messages).
func formatGoFloatG(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    var text = "\(value)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    if let e = text.firstIndex(of: "e") {
        var exponent = String(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        text = mantissa + "e" + sign + exponent
    }
    return text
}
