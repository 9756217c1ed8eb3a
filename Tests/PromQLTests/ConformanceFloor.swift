/// Minimum passing evals per class over /work/shared/conformance/promql. Raise as the engine
/// improves; `ConformanceTests` fails when a count drops below its floor.
enum ConformanceFloor {
    static let float = 847
    static let nativeHistogram = 57
    static let experimental = 442
}
