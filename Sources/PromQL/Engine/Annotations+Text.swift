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
