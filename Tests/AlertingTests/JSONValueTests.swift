import Alerting
import Foundation
import Testing

struct JSONValueTests {
    /// Foundation's parse, in JSONValue's shape (numbers compared as Doubles).
    static func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .object(let members):
            guard let object = theirs as? [String: Any], Set(members.map(\.key)).count == object.count else { return false }
            return members.allSatisfy { member in object[member.key].map { same(ours[member.key]!, $0) } ?? false }
        case .array(let items):
            guard let array = theirs as? [Any], array.count == items.count else { return false }
            return zip(items, array).allSatisfy { same($0, $1) }
        case .string(let text): return theirs as? String == text
        case .number(let text): return (theirs as? NSNumber)?.doubleValue == Double(text)
        case .bool(let flag): return (theirs as? NSNumber)?.boolValue == flag && !(theirs is String)
        case .null: return theirs is NSNull
        }
    }

    @Test(arguments: [
        #"[]"#, #"{}"#, #" [ 1 , -2.5e3 , 0 , 1E+2 , true , false , null ] "#,
        #"[{"labels":{"alertname":"A","a":""},"annotations":{"x":"y"},"startsAt":"2026-01-01T00:00:00Z"}]"#,
        #"{"esc":"\"\\\/\b\f\n\r\t\u00e9\u6f22\ud83d\udea8","utf8":"é漢🚨","nested":[[[{"a":[{}]}]]]}"#,
        #"{"dup":1,"dup":2}"#,
    ])
    func parsesAsFoundationDoes(text: String) throws {
        let ours = try JSONValue.parse(Array(text.utf8))
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(Self.same(ours, theirs), "\(ours)")
    }

    @Test(arguments: [
        ("", 0), ("[", 1), ("[1,", 3), ("[1 2]", 3), (#"{"a" 1}"#, 5), (#"{"a":}"#, 5), (#"{1:2}"#, 1), ("[01]", 2),
        ("[1.]", 3), ("[-]", 2), ("[1e]", 3), ("tru", 0), ("[nul]", 4), (#"["a"#, 3), (#"["\x"]"#, 3), (#"["\u12"]"#, 6),
        ("[\"a\u{1}\"]", 3), ("[] []", 3), (#"{"a":1,}"#, 7), ("[1,]", 3),
    ])
    func brokenInputNamesTheByteOffset(text: String, offset: Int) {
        do {
            _ = try JSONValue.parse(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D]) }
        let deep = Array(String(repeating: "[", count: 10_000).utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }
}
