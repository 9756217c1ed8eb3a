/// Minimum passing evals per script and class over /work/shared/conformance/promql. Raise as
/// the engine improves; `ConformanceTests` fails when any script's count in any class drops
/// below its floor, so a new failure cannot hide behind a new pass elsewhere.
enum ConformanceFloor {
    /// Passing evals: file → (float, native-histogram, experimental).
    static let perFile: [String: (float: Int, nativeHistogram: Int, experimental: Int)] = [
        "aggregators.test": (123, 0, 2),
        "at_modifier.test": (76, 0, 2),
        "collision.test": (2, 0, 0),
        "duration_expression.test": (0, 0, 59),
        "extended_vectors.test": (0, 0, 123),
        "fill-modifier.test": (0, 0, 46),
        "functions.test": (251, 53, 76),
        "histograms.test": (83, 0, 4),
        "info.test": (0, 0, 52),
        "limit.test": (0, 0, 15),
        "literals.test": (25, 0, 0),
        "name_label_dropping.test": (29, 0, 1),
        "native_histograms.test": (3, 0, 0),
        "operators.test": (142, 3, 0),
        "range_queries.test": (14, 1, 2),
        "selectors.test": (31, 0, 0),
        "staleness.test": (17, 0, 0),
        "start_timestamps.test": (0, 0, 2),
        "subquery.test": (32, 0, 0),
        "trig_functions.test": (19, 0, 0),
        "type_and_unit.test": (0, 0, 58),
    ]
}
