/// The named classes of Go's `regexp/syntax`: Perl (`\d \s \w`, ASCII), POSIX (`[:alpha:]`,
/// ASCII), and Unicode (`\pL`, `\p{Greek}`).
enum RegexUnicodeClasses {
    static let perl: [UInt32: RegexCharClass] = [
        0x64: RegexCharClass([0x30...0x39]),                                        // \d
        0x73: RegexCharClass([0x09...0x0A, 0x0C...0x0D, 0x20...0x20]),               // \s
        0x77: RegexCharClass([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]),  // \w
    ]

    static let posix: [String: RegexCharClass] = [
        "alnum": RegexCharClass([0x30...0x39, 0x41...0x5A, 0x61...0x7A]),
        "alpha": RegexCharClass([0x41...0x5A, 0x61...0x7A]),
        "ascii": RegexCharClass([0x00...0x7F]),
        "blank": RegexCharClass([0x09...0x09, 0x20...0x20]),
        "cntrl": RegexCharClass([0x00...0x1F, 0x7F...0x7F]),
        "digit": RegexCharClass([0x30...0x39]),
        "graph": RegexCharClass([0x21...0x7E]),
        "lower": RegexCharClass([0x61...0x7A]),
        "print": RegexCharClass([0x20...0x7E]),
        "punct": RegexCharClass([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]),
        "space": RegexCharClass([0x09...0x0D, 0x20...0x20]),
        "upper": RegexCharClass([0x41...0x5A]),
        "word": RegexCharClass([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]),
        "xdigit": RegexCharClass([0x30...0x39, 0x41...0x46, 0x61...0x66]),
    ]

    /// A `\p{…}` table by Go's name (`Any`, a general category such as `L` or `Lu`, or a
    /// script such as `Greek`); nil when unknown.
    static func table(_ name: String) -> RegexCharClass? {
        if name == "Any" { return RegexCharClass([0...RegexCharClass.maxScalar]) }
        if let members = categoryNames[name] {
            return RegexCharClass(members.flatMap { categoryRanges[$0] ?? [] })
        }
        if let encoded = RegexUnicodeTables.scripts[name] {
            return RegexCharClass(encoded.split(separator: " ").compactMap { item in
                let bounds = item.split(separator: "-")
                guard bounds.count == 2, let lo = UInt32(bounds[0], radix: 16), let hi = UInt32(bounds[1], radix: 16) else { return nil }
                return lo...hi
            })
        }
        return nil
    }

    private static let categoryNames: [String: [Unicode.GeneralCategory]] = {
        let two: [String: Unicode.GeneralCategory] = [
            "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter,
            "Lo": .otherLetter, "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
            "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber, "Pc": .connectorPunctuation,
            "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation, "Pi": .initialPunctuation,
            "Pf": .finalPunctuation, "Po": .otherPunctuation, "Sm": .mathSymbol, "Sc": .currencySymbol,
            "Sk": .modifierSymbol, "So": .otherSymbol, "Zs": .spaceSeparator, "Zl": .lineSeparator,
            "Zp": .paragraphSeparator, "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse,
        ]
        var out = two.mapValues { [$0] }
        // Go's one-letter categories; "C" has no unassigned code points (Cn).
        for letter in ["L", "M", "N", "P", "S", "Z", "C"] {
            out[letter] = two.filter { $0.key.hasPrefix(letter) }.map(\.value)
        }
        return out
    }()

    /// Ranges of every general category, computed once on first use of a `\p` category.
    private static let categoryRanges: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = {
        var out: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = [:]
        var current: Unicode.GeneralCategory?
        var start: UInt32 = 0
        var value: UInt32 = 0
        while value <= RegexCharClass.maxScalar {
            if value == 0xD800 {   // surrogates are no scalars and never match
                if let current { out[current, default: []].append(start...(value - 1)) }
                current = nil
                value = 0xE000
                continue
            }
            let category = Unicode.Scalar(value)!.properties.generalCategory
            if category != current {
                if let current { out[current, default: []].append(start...(value - 1)) }
                current = category
                start = value
            }
            value += 1
        }
        if let current { out[current, default: []].append(start...RegexCharClass.maxScalar) }
        return out
    }()
}
