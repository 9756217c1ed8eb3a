import Foundation
import PharosCore
import Testing
@testable import Alerting

/// HMAC-SHA256 against RFC 4231, the SigV4 signer against AWS's published example, and the
/// Go-shaped URL handling the notifiers build requests with.
struct SigV4Tests {
    static func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { i in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    @Test(arguments: [
        (String(repeating: "0b", count: 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func hmacRFC4231(key: String, message: String, mac: String) {
        #expect(SHA256.hex(SHA256.hmac(key: Self.bytes(key), Array(message.utf8))) == mac)
    }

    /// AWS's documented example: IAM `ListUsers` signed on 2015-08-30 12:36:00 UTC.
    @Test func awsExampleRequest() throws {
        let signer = SigV4Signer(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                 region: "us-east-1", service: "iam")
        let url = try #require(GoURL("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"))
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        let headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        let canonical = signer.canonicalRequest(method: "GET", url: url, headers: headers + [("X-Amz-Date", "20150830T123600Z")], body: [])
        #expect(canonical.signedHeaders == "content-type;host;x-amz-date")
        #expect(SHA256.hex(canonical.text) == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        let signed = signer.sign(method: "GET", url: url, headers: headers, body: [], at: date)
        #expect(signed.map(\.name) == ["X-Amz-Date", "Authorization"])
        #expect(signed.first?.value == "20150830T123600Z")
        #expect(signed.last?.value == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    @Test func canonicalPieces() throws {
        #expect(SigV4Signer.host(of: try #require(GoURL("https://u:p@sns.example:443/x"))) == "sns.example")
        #expect(SigV4Signer.host(of: try #require(GoURL("http://127.0.0.1:8080/"))) == "127.0.0.1:8080")
        #expect(SigV4Signer.awsEscape("/a b/%2F~") == "/a%20b/%252F~")
        #expect(SigV4Signer.collapseSpaces("  a   b  c ") == "a b c")
        let signer = SigV4Signer(accessKey: "a", secretKey: "s", sessionToken: "tok", region: "r", service: "sns")
        let signed = signer.sign(method: "POST", url: try #require(GoURL("http://h/")), headers: [], body: [], at: Date(timeIntervalSince1970: 0))
        #expect(signed.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(signed.last?.value.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,") == true)
    }

    @Test func goURLs() throws {
        let url = try #require(GoURL("https://api.example/v2?b=2&a=1#frag"))
        #expect(url.path == "/v2" && url.rawQuery == "b=2&a=1")
        #expect(url.withTrailingSlash.appendingPath("alerts/x y?").settingQuery("identifierType", "alias").string
            == "https://api.example/v2/alerts/x%20y%3F?a=1&b=2&identifierType=alias")
        #expect(try #require(GoURL("http://h:1")).withTrailingSlash.string == "http://h:1/")
        #expect(try #require(GoURL("http://h/a%2Fb")).path == "/a/b")
        #expect(GoURL("no-scheme/x") == nil && GoURL("http://h/%zz") == nil)
        #expect(GoURL.formEncode([("b", "x y"), ("a", "&=+é"), ("b", "1")]) == "a=%26%3D%2B%C3%A9&b=x+y&b=1")
        #expect(GoURL.parseQuery("a=1+2&b=%41&bad;x=1&c").map { "\($0.0)=\($0.1)" } == ["a=1 2", "b=A", "c="])
    }
}
