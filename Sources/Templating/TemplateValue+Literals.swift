/// Literals for building data in code and tests: `"x"`, `3`, `1.5`, `true`, `[…]`, `["k": …]`.
extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int) { self = .int(value) }
    package init(floatLiteral value: Double) { self = .float(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: TemplateValue...) { self = .list(elements, methods: nil) }
    /// A `map[string]interface {}`.
    package init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .map(TemplateMap(Dictionary(elements, uniquingKeysWith: { $1 })))
    }
}
