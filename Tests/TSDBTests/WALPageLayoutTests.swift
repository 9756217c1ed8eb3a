import Testing
@testable import TSDB

@Suite(.timeLimit(.minutes(5))) struct WALPageLayoutTests {
    private static let page = WALFormat.pageSize

    @Test func smallRecordIsOneFullFragment() {
        var layout = WALPageLayout(segmentSize: 4 * Self.page)
        var out: [UInt8] = []
        layout.append(record: [1, 2, 3], into: &out)
        #expect(out.count == 10)
        #expect(out[0] == WALFormat.FragmentType.full.rawValue)
        #expect(out[1] == 0 && out[2] == 3)
        #expect(layout.segmentOffset == 10)
    }

    @Test func largeRecordSplitsAcrossPages() {
        var layout = WALPageLayout(segmentSize: 4 * Self.page)
        var out: [UInt8] = []
        let record = [UInt8](repeating: 0xAB, count: 2 * Self.page)
        layout.append(record: record, into: &out)
        let room = Self.page - WALFormat.headerSize
        #expect(out[0] == WALFormat.FragmentType.first.rawValue)
        #expect(out[Self.page] == WALFormat.FragmentType.middle.rawValue)
        #expect(out[2 * Self.page] == WALFormat.FragmentType.last.rawValue)
        #expect(out.count == 2 * Self.page + WALFormat.headerSize + (2 * Self.page - 2 * room))
    }

    @Test func pageTailShorterThanHeaderIsPadded() {
        var layout = WALPageLayout(segmentSize: 4 * Self.page)
        var out: [UInt8] = []
        // Leave exactly 3 bytes in the page: they must become zero padding.
        layout.append(record: [UInt8](repeating: 1, count: Self.page - WALFormat.headerSize - 3), into: &out)
        #expect(layout.segmentOffset == Self.page)
        #expect(out.suffix(3) == [0, 0, 0])
    }

    @Test func fitsAccountsForHeadersAndSegmentEnd() {
        let room = Self.page - WALFormat.headerSize
        var layout = WALPageLayout(segmentSize: 2 * Self.page)
        #expect(layout.fits(recordLength: 2 * room))
        #expect(!layout.fits(recordLength: 2 * room + 1))
        var out: [UInt8] = []
        layout.append(record: [UInt8](repeating: 1, count: 100), into: &out)
        #expect(layout.fits(recordLength: 2 * room - 100 - WALFormat.headerSize))
        #expect(!layout.fits(recordLength: 2 * room - 100 - WALFormat.headerSize + 1))
    }

    @Test func scannerReassemblesWhatLayoutWrites() throws {
        var layout = WALPageLayout(segmentSize: 8 * Self.page)
        var out: [UInt8] = []
        let records: [[UInt8]] = (0..<40).map { index in (0..<(index * 1777 % 50_000 + 1)).map { UInt8(truncatingIfNeeded: $0 ^ index) } }
        for record in records { layout.append(record: record, into: &out) }
        var seen: [[UInt8]] = []
        let damage = out.withUnsafeBytes { buffer in
            WALSegmentScanner.scan(buffer) { record, _ in seen.append(Array(record)) }
        }
        #expect(damage == nil)
        #expect(seen == records)
    }
}
