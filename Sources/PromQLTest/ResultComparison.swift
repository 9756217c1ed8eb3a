import Foundation
import PharosCore
import PromQL

/// Compares engine output with an eval's expectations (conformance README §1.7).
enum ResultComparison {
    /// Prometheus' `almost.Equal` with epsilon 1e-6; a stale marker only equals a stale marker.
    static func floatsEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isStaleMarker != b.isStaleMarker { return false }
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = 2.2250738585072014e-308
        let absSum = abs(a) + abs(b), diff = abs(a - b)
        if a == 0 || b == 0 || absSum < minNormal { return diff < 1e-6 * minNormal }
        return diff / min(absSum, Double.greatestFiniteMagnitude) < 1e-6
    }

    /// promqltest's `expect … regex:` is Go's `regexp.MatchString` (unanchored); an invalid
    /// pattern matches nothing.
    static func regexMatches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? RE2Regex(pattern) else { return false }
        return regex.matches(in: text)
    }

    /// Checks one annotation kind; nil when fine.
    static func annotations(_ expected: [AnnotationPattern]?, _ actual: [String], kind: String) -> String? {
        guard let expected else { return nil }
        if expected.isEmpty {
            return actual.isEmpty ? nil : "expected no \(kind), got \(actual)"
        }
        func matches(_ pattern: AnnotationPattern, _ text: String) -> Bool {
            switch pattern {
            case .any: return true
            case .message(let m): return m == text
            case .regex(let r): return regexMatches(r, text)
            }
        }
        for pattern in expected where !actual.contains(where: { matches(pattern, $0) }) {
            return "expected \(kind) \(pattern) not found in \(actual)"
        }
        for text in actual where !expected.contains(where: { matches($0, text) }) {
            return "unexpected \(kind) \(goQuote(text))"
        }
        return nil
    }

    static func value(_ eval: EvalCommand, _ value: QueryValue) -> String? {
        if let expected = eval.expectedString {
            guard case .string(_, let text) = value else { return "expected a string, got \(value.resultType)" }
            return text == expected ? nil : "expected string \(goQuote(expected)), got \(goQuote(text))"
        }
        if let expected = eval.expectedScalar {
            guard case .scalar(_, let v) = value else { return "expected a scalar, got \(value.resultType)" }
            return floatsEqual(v, expected) ? nil : "expected scalar \(expected), got \(v)"
        }
        switch eval.kind {
        case .range(let start, _, let step):
            guard case .matrix(let series) = value else { return "expected a matrix, got \(value.resultType)" }
            return matrix(eval.series, series, start: start, step: step)
        case .instant:
            if let range = eval.rangeVector {
                guard case .matrix(let series) = value else { return "expected a range vector, got \(value.resultType)" }
                return matrix(eval.series, series, start: range.from, step: range.step)
            }
            guard case .vector(let samples) = value else { return "expected a vector, got \(value.resultType)" }
            return vector(eval.series, samples, ordered: eval.ordered)
        }
    }

    private static func vector(_ expected: [SeriesLine], _ actual: [InstantSample], ordered: Bool) -> String? {
        if expected.count != actual.count {
            return "expected \(expected.count) samples, got \(actual.count): \(actual.map { "\($0.labels) \($0.value)" })"
        }
        var byLabels: [Labels: (Int, Double)] = [:]
        for (index, sample) in actual.enumerated() { byLabels[sample.labels] = (index, sample.value) }
        for (position, line) in expected.enumerated() {
            guard line.values.count == 1 else { return "expected series \(line.labels) has \(line.values.count) values" }
            guard let (index, value) = byLabels[line.labels] else { return "missing series \(line.labels); got \(actual.map(\.labels))" }
            guard case .float(let want) = line.values[0] else { return "expected a histogram or gap for \(line.labels)" }
            if !floatsEqual(value, want) { return "\(line.labels): expected \(want), got \(value)" }
            if ordered && index != position { return "\(line.labels): expected at position \(position), got \(index)" }
        }
        return nil
    }

    private static func matrix(_ expected: [SeriesLine], _ actual: [RangeSeries], start: Int64, step: Int64) -> String? {
        for i in actual.indices.dropFirst() where !(actual[i - 1].labels < actual[i].labels) {
            return "matrix not sorted by labels at \(actual[i].labels)"
        }
        if expected.count != actual.count {
            return "expected \(expected.count) series, got \(actual.count): \(actual.map(\.labels))"
        }
        var byLabels: [Labels: [Sample]] = [:]
        for series in actual { byLabels[series.labels] = series.samples }
        for line in expected {
            guard let samples = byLabels[line.labels] else { return "missing series \(line.labels); got \(actual.map(\.labels))" }
            var want: [Sample] = []
            for (index, value) in line.values.enumerated() {
                let time = start + Int64(index) * step
                switch value {
                case .float(let v): want.append(Sample(timestamp: time, value: v))
                case .stale: want.append(Sample(timestamp: time, value: StaleNaN.value))
                case .omitted: break
                case .histogram: return "\(line.labels): histogram points are not supported"
                }
            }
            if want.count != samples.count {
                return "\(line.labels): expected \(want.count) points, got \(samples.count): \(samples.map { "\($0.value)@\($0.timestamp)" })"
            }
            for (w, s) in zip(want, samples) where w.timestamp != s.timestamp || !floatsEqual(s.value, w.value) {
                return "\(line.labels): expected \(w.value)@\(w.timestamp), got \(s.value)@\(s.timestamp)"
            }
        }
        return nil
    }
}
