import PharosCore
@testable import TSDB
import Testing

/// The ref stripes' open-addressing table against a Dictionary model, through growth,
/// backward-shift removal and shrinking.
@Suite(.timeLimit(.minutes(5))) struct RefTableTests {
    @Test(arguments: [1, 7, 1024])
    func matchesADictionaryModel(stride: Int) {
        var table = RefTable()
        var model: [UInt64: MemSeries] = [:]
        var random = SystemRandomNumberGenerator()
        for step in 0..<4000 {
            let ref = UInt64(1 + (Int.random(in: 0..<600, using: &random) * stride))
            if step % 3 == 2, let existing = model[ref] {
                table.remove(ref, ifIs: existing)
                model[ref] = nil
            } else {
                let series = MemSeries(ref: SeriesRef(ref), labels: Labels(["i": "\(ref)"]), logged: false)
                table.set(ref, series)
                model[ref] = series
            }
            if step % 97 == 0 {
                for slot in 0..<601 {
                    let probe = UInt64(1 + slot * stride)
                    #expect(table.get(probe) === model[probe])
                }
            }
        }
        #expect(table.count == model.count)
        #expect(Set(table.values.map(\.ref.raw)) == Set(model.keys))
        for (ref, series) in model { table.remove(ref, ifIs: series) }
        #expect(table.count == 0 && table.values.isEmpty)
    }

    @Test func removeChecksIdentity() {
        var table = RefTable()
        let kept = MemSeries(ref: SeriesRef(5), labels: Labels(["a": "1"]), logged: false)
        let other = MemSeries(ref: SeriesRef(5), labels: Labels(["a": "1"]), logged: false)
        table.set(5, kept)
        table.remove(5, ifIs: other)
        #expect(table.get(5) === kept)
        #expect(table.get(6) == nil)
    }
}
