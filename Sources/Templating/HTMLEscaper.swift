/// Contextual escaping after Go's `html/template`, for the contexts notification e-mails use.
///
/// Go analyses the template statically; we follow the HTML context of the output as it is
/// produced (template text is trusted and only fed through the state machine), which gives
/// the same result for templates html/template accepts. Template text loses its
/// `<!-- comments -->`; an action's value is escaped for where it lands: element text, `<title>`
/// and quoted attribute values get `&<>"'+` and NUL escaped; URL attributes (`href`, `src`, …)
/// are filtered (`#ZgotmplZ` for schemes other than http, https, mailto), normalised and
/// attribute-escaped, with query parts percent-encoded; missing values print as nothing.
/// Values from `safeHtml` are not escaped in element text. Not covered: JavaScript and CSS
/// contexts (`<script>`, `<style>`, `on*=`, `style=`), which get the element-text escaping.
final class HTMLEscaper {
    private enum State {
        case text
        case comment
        /// Inside `<tag …` before `>`; `name` is the attribute name being read, if any.
        case tag(attribute: String, afterEquals: Bool)
        /// Inside an attribute value; `quote` is `"`, `'` or nil (unquoted); `part` is where in
        /// a URL the value so far ends.
        case attributeValue(attribute: String, quote: Character?, part: URLPart)
        /// Inside an element whose content is raw text or RCDATA (`script`, `style`, `title`, `textarea`).
        case rawText(element: String)
    }

    enum URLPart { case start, path, query }

    private static func part(after part: URLPart, _ text: some StringProtocol) -> URLPart {
        if part == .query || text.contains("?") || text.contains("#") { return .query }
        return text.isEmpty ? part : .path
    }

    private var state: State = .text
    /// The last characters of template text, to spot `<!--` and `</title>` across nodes.
    private var pendingTag = ""

    /// Feeds template text; returns it as it goes out (comments removed).
    func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var chars = Array(s)
        var i = 0
        /// Whether `p` (lower-case ASCII) starts at `i`, ignoring ASCII case.
        func has(_ p: StaticString) -> Bool { has(String(describing: p)) }
        func has(_ p: String) -> Bool {
            var j = i
            for pc in p.unicodeScalars {
                guard j < chars.count, let c = chars[j].unicodeScalars.first, chars[j].unicodeScalars.count == 1 else { return false }
                let lower = c.value >= 0x41 && c.value <= 0x5A ? c.value + 32 : c.value
                if lower != pc.value { return false }
                j += 1
            }
            return true
        }
        while i < chars.count {
            let c = chars[i]
            switch state {
            case .comment:
                if has("-->") {
                    i += 3
                    state = .text
                    continue
                }
                i += 1
                continue
            case .text:
                if has("<!--") {
                    state = .comment
                    i += 4
                    continue
                }
                if c == "<", i + 1 < chars.count, chars[i + 1].isLetter || chars[i + 1] == "/" {
                    var j = i + 1
                    if chars[j] == "/" { j += 1 }
                    var name = ""
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber { name.append(chars[j]); j += 1 }
                    pendingTag = name.lowercased()
                    state = .tag(attribute: "", afterEquals: false)
                    if chars[i + 1] == "/" { pendingTag = "/" + pendingTag }
                    out += String(chars[i..<j])
                    i = j
                    continue
                }
            case .tag(let attribute, let afterEquals):
                if c == ">" {
                    let tag = pendingTag
                    state = ["script", "style", "title", "textarea"].contains(tag) ? .rawText(element: tag) : .text
                } else if c == "=" {
                    state = .tag(attribute: attribute, afterEquals: true)
                } else if afterEquals, c == "\"" || c == "'" {
                    state = .attributeValue(attribute: attribute, quote: c, part: .start)
                } else if afterEquals, !c.isWhitespace {
                    state = .attributeValue(attribute: attribute, quote: nil, part: Self.part(after: .start, String(c)))
                } else if c.isWhitespace {
                    if !afterEquals { state = .tag(attribute: "", afterEquals: false) }
                } else {
                    state = .tag(attribute: attribute + String(c).lowercased(), afterEquals: false)
                }
            case .attributeValue(let attribute, let quote, let part):
                if let quote, c == quote {
                    state = .tag(attribute: "", afterEquals: false)
                } else if quote == nil, c.isWhitespace || c == ">" {
                    state = .tag(attribute: "", afterEquals: false)
                    continue
                } else if part != .query {
                    state = .attributeValue(attribute: attribute, quote: quote, part: Self.part(after: part, String(c)))
                }
            case .rawText(let element):
                if has("</\(element)") {
                    state = .text
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        chars = []
        return out
    }

    /// Escapes an action's value for the current context.
    /// `pipelineEndsWith` is the function the action's pipeline ends with: after `urlquery`
    /// a URL context only attribute-escapes, after `html` an HTML context escapes nothing more
    /// (Go's `equivEscapers`).
    func value(_ v: TemplateValue, pipelineEndsWith last: String? = nil) -> String {
        if case .nil = v { return "" }
        if case .object(let o) = v, o is SafeHTML {
            if case .text = state { return o.formatted }
            if case .rawText = state { return o.formatted }
        }
        let s = GoFormat.formatV(v)
        if case .tag(let attribute, true) = state {
            // An unquoted attribute value starts with this action.
            state = .attributeValue(attribute: attribute, quote: nil, part: .start)
        }
        switch state {
        case .text, .rawText, .comment, .tag:
            return last == "html" ? s : Self.htmlEscape(s)
        case .attributeValue(let attribute, let quote, let part):
            let escaped: String
            if last == "html" {
                escaped = s
            } else if Self.isURLAttribute(attribute), last == "urlquery" {
                escaped = Self.htmlEscape(s)
            } else if Self.isURLAttribute(attribute) {
                if part == .start {
                    escaped = Self.htmlEscape(Self.urlNormalize(Self.urlFilter(s), escapeReserved: false))
                } else if part == .query {
                    escaped = Self.htmlEscape(Self.urlNormalize(s, escapeReserved: true))
                } else {
                    escaped = Self.htmlEscape(Self.urlNormalize(s, escapeReserved: false))
                }
            } else {
                escaped = Self.htmlEscape(s)
            }
            let result = quote == nil && last != "html" ? Self.nospaceEscape(escaped) : escaped
            state = .attributeValue(attribute: attribute, quote: quote, part: Self.part(after: part, s))
            return result
        }
    }

    static func isURLAttribute(_ name: String) -> Bool {
        let n = name.hasPrefix("data-") ? String(name.dropFirst(5)) : name
        if ["href", "src", "action", "cite", "data", "formaction", "poster", "background", "longdesc", "usemap",
            "codebase", "classid", "icon", "manifest", "profile"].contains(n) { return true }
        return n.contains("url") || n.contains("uri") || n.contains("src")
    }

    /// html/template's `htmlEscaper`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\0": out += "\u{FFFD}"
            case "\"": out += "&#34;"
            case "&": out += "&amp;"
            case "'": out += "&#39;"
            case "+": out += "&#43;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// html/template's `htmlNospaceEscaper` applied after `htmlEscape` (unquoted attributes).
    static func nospaceEscape(_ escaped: String) -> String {
        var out = ""
        for c in escaped.unicodeScalars {
            switch c {
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\u{0B}": out += "&#11;"
            case "\u{0C}": out += "&#12;"
            case "\r": out += "&#13;"
            case " ": out += "&#32;"
            case "=": out += "&#61;"
            case "`": out += "&#96;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// html/template's `urlFilter`: only http, https and mailto URLs (or relative ones) pass.
    static func urlFilter(_ s: String) -> String {
        if let colon = s.firstIndex(of: ":"), !s[..<colon].contains("/") {
            let scheme = s[..<colon].lowercased()
            if !["http", "https", "mailto"].contains(scheme) { return "#ZgotmplZ" }
        }
        return s
    }

    /// html/template's `urlNormalizer` (`escapeReserved: false`) and `urlEscaper` (`true`).
    static func urlNormalize(_ s: String, escapeReserved: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: ";"),
                 UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "%"):
                if !escapeReserved {
                    out.unicodeScalars.append(Unicode.Scalar(b))
                    continue
                }
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
                 UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(b))
                continue
            default:
                break
            }
            out += "%" + String(b, radix: 16).leftPadded(2)
        }
        return out
    }
}

/// A value `safeHtml` marked as trusted HTML (Go's `template.HTML`): printed unescaped in
/// element text by the HTML escaper, and as plain text otherwise.
package struct SafeHTML: TemplateObject {
    package var html: String
    package init(_ html: String) { self.html = html }
    package var typeName: String { "template.HTML" }
    package func member(_ name: String, _ args: [TemplateValue]) throws(TemplateError) -> TemplateValue? { nil }
    package var formatted: String { html }
}

private extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
