import PharosTestSupport

/// The shared deterministic generator, under the name these tests use.
typealias SplitMix = SplitMix64
