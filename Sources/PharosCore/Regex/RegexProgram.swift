/// A regex compiled to instructions for the Pike VM (Go's `syntax.Prog`, without its
/// byte-level and one-pass refinements). Immutable.
struct RegexProgram: Sendable {
    enum Assertion: Sendable {
        case beginLine, endLine, beginText, endText, wordBoundary, noWordBoundary
    }

    enum Instruction: Sendable {
        case scalar(UInt32)
        case charClass(RegexCharClass)
        case any
        case anyNotNL
        /// Try the first target before the second (leftmost-first priority).
        case split(Int, Int)
        case jump(Int)
        /// Record the position in capture slot n (2·group for the start, 2·group+1 for the end).
        case save(Int)
        case assert(Assertion)
        case match
        case fail
    }

    private(set) var instructions: [Instruction] = []
    /// 2 × (number of groups + 1).
    let slotCount: Int

    /// `save 0; node; save 1; match`.
    init(_ node: RegexNode, groupCount: Int) {
        slotCount = 2 * (groupCount + 1)
        instructions.append(.save(0))
        emit(node)
        instructions.append(.save(1))
        instructions.append(.match)
    }

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .empty: break
        case .noMatch: instructions.append(.fail)
        case .literal(let c, let fold):
            if fold, let orbit = RegexCaseFolding.orbit(c) {
                instructions.append(.charClass(RegexCharClass(orbit.map { $0...$0 })))
            } else {
                instructions.append(.scalar(c))
            }
        case .charClass(let cls):
            if let single = cls.singleScalar {
                instructions.append(.scalar(single))
            } else if cls.isFull {
                instructions.append(.any)
            } else {
                instructions.append(.charClass(cls))
            }
        case .anyChar: instructions.append(.any)
        case .anyCharNotNL: instructions.append(.anyNotNL)
        case .beginLine: instructions.append(.assert(.beginLine))
        case .endLine: instructions.append(.assert(.endLine))
        case .beginText: instructions.append(.assert(.beginText))
        case .endText: instructions.append(.assert(.endText))
        case .wordBoundary: instructions.append(.assert(.wordBoundary))
        case .noWordBoundary: instructions.append(.assert(.noWordBoundary))
        case .capture(let index, _, let sub):
            instructions.append(.save(2 * index))
            emit(sub)
            instructions.append(.save(2 * index + 1))
        case .concat(let subs):
            for sub in subs { emit(sub) }
        case .alternate(let subs):
            var jumps: [Int] = []
            for (position, sub) in subs.enumerated() {
                if position == subs.count - 1 {
                    emit(sub)
                } else {
                    let split = placeholder()
                    emit(sub)
                    jumps.append(placeholder())
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .repeat(let sub, let min, let max, let greedy):
            if max == -1 {
                if min == 0 {
                    emitStar(sub, greedy)
                } else {
                    // x{n,} is n-1 copies of x, then x+.
                    for _ in 0..<(min - 1) { emit(sub) }
                    let loop = instructions.count
                    emit(sub)
                    let next = instructions.count + 1
                    instructions.append(greedy ? .split(loop, next) : .split(next, loop))
                }
            } else {
                for _ in 0..<min { emit(sub) }
                // x{n,m}: then m-n nested optional copies, (x(x)?)?.
                var splits: [Int] = []
                for _ in 0..<(max - min) {
                    splits.append(placeholder())
                    emit(sub)
                }
                let end = instructions.count
                for split in splits { instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1) }
            }
        }
    }

    private mutating func emitStar(_ sub: RegexNode, _ greedy: Bool) {
        if sub.isNullable {
            // As Go: a loop over something that can match empty is compiled as (x+)?, so that
            // priorities inside the loop's closure stay right (`(a*)*` on "b" captures "").
            let skip = placeholder()
            let loop = instructions.count
            emit(sub)
            let next = instructions.count + 1
            instructions.append(greedy ? .split(loop, next) : .split(next, loop))
            instructions[skip] = greedy ? .split(skip + 1, instructions.count) : .split(instructions.count, skip + 1)
            return
        }
        let loop = placeholder()
        emit(sub)
        instructions.append(.jump(loop))
        let out = instructions.count
        instructions[loop] = greedy ? .split(loop + 1, out) : .split(out, loop + 1)
    }

    private mutating func placeholder() -> Int {
        instructions.append(.fail)
        return instructions.count - 1
    }
}

extension RegexNode {
    /// Whether the node can match the empty string.
    var isNullable: Bool {
        switch self {
        case .empty, .beginLine, .endLine, .beginText, .endText, .wordBoundary, .noWordBoundary: true
        case .noMatch, .literal, .charClass, .anyChar, .anyCharNotNL: false
        case .capture(_, _, let sub): sub.isNullable
        case .repeat(let sub, let min, _, _): min == 0 || sub.isNullable
        case .concat(let subs): subs.allSatisfy(\.isNullable)
        case .alternate(let subs): subs.contains(where: \.isNullable)
        }
    }
}
