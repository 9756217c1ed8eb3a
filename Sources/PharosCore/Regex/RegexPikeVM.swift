/// Runs a `RegexProgram` over a string's Unicode scalars in one pass with a thread list per
/// position (Thompson/Pike simulation): time O(text × program), no backtracking.
///
/// Leftmost-first like Go: threads are kept in priority order, and when one matches, the
/// lower-priority threads of that step are dropped.
struct RegexPikeVM {
    let program: RegexProgram

    private struct ThreadList {
        var pcs: [Int] = []
        var caps: [[String.Index?]] = []
        var marks: [Int]
        var generation = 1

        init(size: Int) { marks = Array(repeating: 0, count: size) }

        mutating func clear() {
            pcs.removeAll(keepingCapacity: true)
            caps.removeAll(keepingCapacity: true)
            generation += 1
        }
    }

    /// The capture slots of the first match starting at or after `start` (only at `start` when
    /// `anchorStart`), ending at the end of `text` when `anchorEnd`; nil without a match.
    /// With `wantCaptures` false the slots are empty and the search stops at the first match found.
    func run(_ text: String, from start: String.Index, anchorStart: Bool, anchorEnd: Bool,
             wantCaptures: Bool) -> [String.Index?]? {
        let view = text.unicodeScalars
        let end = view.endIndex
        let instructions = program.instructions
        let initialCaps: [String.Index?] = wantCaptures ? Array(repeating: nil, count: program.slotCount) : []
        var current = ThreadList(size: instructions.count)
        var next = ThreadList(size: instructions.count)
        var stack: [(Int, [String.Index?])] = []
        var matched: [String.Index?]?

        var pos = start
        var previous: UInt32? = start > view.startIndex ? view[view.index(before: start)].value : nil
        var scalar: UInt32? = pos < end ? view[pos].value : nil

        func add(_ list: inout ThreadList, _ pc: Int, _ caps: [String.Index?], at position: String.Index,
                 before: UInt32?, after: UInt32?) {
            stack.append((pc, caps))
            while let (pc, caps) = stack.popLast() {
                if list.marks[pc] == list.generation { continue }
                list.marks[pc] = list.generation
                switch instructions[pc] {
                case .jump(let target): stack.append((target, caps))
                case .split(let first, let second):
                    stack.append((second, caps))
                    stack.append((first, caps))
                case .save(let slot):
                    var updated = caps
                    if slot < updated.count { updated[slot] = position }
                    stack.append((pc + 1, updated))
                case .assert(let assertion):
                    if Self.holds(assertion, before: before, after: after) { stack.append((pc + 1, caps)) }
                case .fail: continue
                default:
                    list.pcs.append(pc)
                    list.caps.append(caps)
                }
            }
        }

        while true {
            if matched == nil && (!anchorStart || pos == start) {
                add(&current, 0, initialCaps, at: pos, before: previous, after: scalar)
            }
            if current.pcs.isEmpty && (matched != nil || anchorStart) { break }
            let nextPos = pos < end ? view.index(after: pos) : end
            let following: UInt32? = nextPos < end ? view[nextPos].value : nil
            var index = 0
            while index < current.pcs.count {
                let pc = current.pcs[index]
                var advances = false
                switch instructions[pc] {
                case .match:
                    if anchorEnd && pos != end { break }
                    if !wantCaptures { return [] }
                    matched = current.caps[index]
                    index = current.pcs.count   // drop lower-priority threads
                    continue
                case .scalar(let c): advances = scalar == c
                case .charClass(let cls): advances = scalar.map(cls.contains) ?? false
                case .any: advances = scalar != nil
                case .anyNotNL: advances = scalar != nil && scalar != 0x0A
                default: break
                }
                if advances {
                    add(&next, pc + 1, current.caps[index], at: nextPos, before: scalar, after: following)
                }
                index += 1
            }
            if pos == end { break }
            swap(&current, &next)
            next.clear()
            previous = scalar
            scalar = following
            pos = nextPos
        }
        return matched
    }

    static func holds(_ assertion: RegexProgram.Assertion, before: UInt32?, after: UInt32?) -> Bool {
        switch assertion {
        case .beginText: return before == nil
        case .endText: return after == nil
        case .beginLine: return before == nil || before == 0x0A
        case .endLine: return after == nil || after == 0x0A
        case .wordBoundary: return isWord(before) != isWord(after)
        case .noWordBoundary: return isWord(before) == isWord(after)
        }
    }

    /// ASCII word characters, as Go's `\b`.
    static func isWord(_ c: UInt32?) -> Bool {
        guard let c else { return false }
        return (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x5F
    }
}
