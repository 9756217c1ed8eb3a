import PharosCore

/// One `relabel_config`, validated on construction exactly as Prometheus validates it.
///
/// Defaults: separator `;`, regex `(.*)` (fully anchored), replacement `$1`, action `replace`.
/// Immutable, `Sendable`, and cheap to share: regex and templates are compiled once here.
package struct RelabelConfig: Sendable, Hashable {
    package static let defaultSeparator = ";"
    package static let defaultReplacement = "$1"

    package let sourceLabels: [String]
    package let separator: String
    package let targetLabel: String
    package let regex: RelabelRegex
    /// False when the config spelled out a regex (even `(.*)`), as Prometheus distinguishes.
    package let regexIsDefault: Bool
    package let modulus: UInt64
    package let replacement: String
    package let action: RelabelAction
    package let nameValidation: LabelNameValidation

    let targetTemplate: ExpandTemplate
    let replacementTemplate: ExpandTemplate

    /// Builds and validates a config; `regex: nil` means the default `(.*)`.
    /// Throws `RelabelError` with Prometheus' message for invalid combinations.
    package init(
        sourceLabels: [String] = [],
        separator: String = RelabelConfig.defaultSeparator,
        targetLabel: String = "",
        regex: String? = nil,
        modulus: UInt64 = 0,
        replacement: String = RelabelConfig.defaultReplacement,
        action: RelabelAction = .replace,
        nameValidation: LabelNameValidation = .utf8
    ) throws(RelabelError) {
        self.sourceLabels = sourceLabels
        self.separator = separator
        self.targetLabel = targetLabel
        if let regex {
            self.regex = try RelabelRegex(regex)
        } else {
            self.regex = .default
        }
        regexIsDefault = regex == nil
        self.modulus = modulus
        self.replacement = replacement
        self.action = action
        self.nameValidation = nameValidation
        targetTemplate = ExpandTemplate(targetLabel)
        replacementTemplate = ExpandTemplate(replacement)
        try validate()
    }

    /// `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`: a label name that may embed `$1`/`${name}`.
    package static func isValidTemplatedName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return false }
        func isWord(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || b == 95
        }
        var index = 0
        var atStart = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                    let start = index + 1
                    var end = start
                    while end < bytes.count, isWord(bytes[end]) { end += 1 }
                    guard end > start, end < bytes.count, bytes[end] == UInt8(ascii: "}") else { return false }
                    index = end + 1
                } else {
                    let start = index
                    while index < bytes.count, isWord(bytes[index]) { index += 1 }
                    guard index > start else { return false }
                }
            } else if isWord(byte) {
                // A digit may not begin the name.
                if atStart, byte >= 48, byte <= 57 { return false }
                index += 1
            } else {
                return false
            }
            atStart = false
        }
        return true
    }

    private func validate() throws(RelabelError) {
        func fail(_ message: String) -> RelabelError { RelabelError(.invalidConfig, message) }
        let quotedTarget = goQuote(targetLabel)
        let targetInvalid = "\(quotedTarget) is invalid 'target_label' for \(action) action"
        let equalOrCase: Set<RelabelAction> = [.lowercase, .uppercase, .keepequal, .dropequal]
        if action == .hashmod, modulus == 0 {
            throw fail("relabel configuration for hashmod requires non-zero modulus")
        }
        if equalOrCase.contains(action) || action == .replace || action == .hashmod, targetLabel.isEmpty {
            throw fail("relabel configuration for \(action) action requires 'target_label' value")
        }
        if action == .replace {
            let valid = targetLabel.contains("$")
                ? RelabelConfig.isValidTemplatedName(targetLabel) : nameValidation.isValid(targetLabel)
            if !valid { throw fail(targetInvalid) }
        }
        if equalOrCase.contains(action) || action == .hashmod, !nameValidation.isValid(targetLabel) {
            throw fail(targetInvalid)
        }
        if equalOrCase.contains(action), replacement != RelabelConfig.defaultReplacement {
            throw fail("'replacement' can not be set for \(action) action")
        }
        if action == .labelmap, !RelabelConfig.isValidTemplatedName(replacement) {
            throw fail("\(goQuote(replacement)) is invalid 'replacement' for \(action) action")
        }
        if action == .keepequal || action == .dropequal {
            if !regexIsDefault || modulus != 0 || separator != RelabelConfig.defaultSeparator {
                throw fail("\(action) action requires only 'source_labels' and `target_label`, and no other fields")
            }
        }
        if action == .labeldrop || action == .labelkeep {
            if !sourceLabels.isEmpty || !targetLabel.isEmpty || modulus != 0
                || separator != RelabelConfig.defaultSeparator || replacement != RelabelConfig.defaultReplacement {
                throw fail("\(action) action requires only 'regex', and no other fields")
            }
        }
    }
}
