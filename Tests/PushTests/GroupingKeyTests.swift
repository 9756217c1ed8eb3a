import PharosCore
import Testing
@testable import Push

@Suite(.timeLimit(.minutes(5))) struct GroupingKeyTests {
    @Test(arguments: [
        ("/metrics/job/batch", #"{job="batch"}"#),
        ("/metrics/job/batch/", #"{job="batch"}"#),
        ("/metrics/job/batch/instance/host1", #"{instance="host1",job="batch"}"#),
        ("/metrics/job/directory_cleaner/path@base64/L3Zhci90bXA", #"{job="directory_cleaner",path="/var/tmp"}"#),
        ("/metrics/job/directory_cleaner/path@base64/L3Zhci90bXA=", #"{job="directory_cleaner",path="/var/tmp"}"#),
        ("/metrics/job/example/first_label@base64/=/second_label/foobar", #"{first_label="",job="example",second_label="foobar"}"#),
        ("/metrics/job/titan/name@base64/zqDPgc6_zrzOt864zrXPjc-C", #"{job="titan",name="Προμηθεύς"}"#),
        ("/metrics/job/titan/name/%CE%A0%CF%81%CE%BF%CE%BC%CE%B7%CE%B8%CE%B5%CF%8D%CF%82", #"{job="titan",name="Προμηθεύς"}"#),
        ("/metrics/job@base64/YS9i", #"{job="a/b"}"#),
        ("/metrics/job/a/job/b", #"{job="a"}"#),
        ("/metrics/job/a/x/1/x/2", #"{job="a",x="2"}"#),
    ])
    func parses(path: String, expected: String) throws {
        #expect(try GroupingKey(path: path).description == expected)
    }

    @Test(arguments: [
        ("/metrics/job/a/b", #"odd number of components in label string "/b""#),
        ("/metrics/job/a/b/1/c", #"odd number of components in label string "/b/1/c""#),
        ("/metrics/job/a/__x/1", #"improper label name "__x""#),
        ("/metrics/job/a/1x/1", #"improper label name "1x""#),
        ("/metrics/job/a/x@base64/!!", #"invalid base64 encoding for label x="!!": illegal base64 data at input byte 0"#),
        ("/metrics/job/a/x@base64/QUJDR", #"invalid base64 encoding for label x="QUJDR": illegal base64 data at input byte 4"#),
        ("/metrics/job@base64/%%%", #"invalid base64 encoding in job name "%%%": illegal base64 data at input byte 0"#),
        ("/metrics/job/x/y@base64/_w", #"invalid base64 encoding for label y="_w": decoded value is not valid UTF-8"#),
        ("/metrics/job@base64/=", "job name is required"),
        ("/metrics/job/", "job name is required"),
        ("/metrics/instance/a", #"not a push path: "/metrics/instance/a" (want /metrics/job/<job>{/<label>/<value>})"#),
    ])
    func rejects(path: String, message: String) {
        #expect(throws: PushError(.badRequest, message)) { try GroupingKey(path: path) }
    }

    @Test func canonicalPathRoundTrips() throws {
        let key = try GroupingKey(job: "a/b", labels: ["empty": "", "plain": "v", "pct": "50%", "utf": "Προ"])
        #expect(key.path == "/metrics/job@base64/YS9i/empty@base64/=/pct@base64/NTAl/plain/v/utf/Προ")
        #expect(try GroupingKey(path: key.path) == key)
        #expect(key.labels == Labels(["job": "a/b", "plain": "v", "pct": "50%", "utf": "Προ"]))
    }

    /// Every prefix of a path either parses to a key whose labels are a prefix of the full
    /// key's, or fails with a `.badRequest` error naming what is wrong.
    @Test func everyTruncationOfAPathIsHandled() throws {
        let path = "/metrics/job@base64/YS9i/x@base64/L3Zhci90bXA/y/z"
        let full = try GroupingKey(path: path)
        var parsed = 0
        for end in path.indices {
            do {
                let key = try GroupingKey(path: String(path[..<end]))
                #expect(!key.job.isEmpty && "a/b".hasPrefix(key.job), "prefix \(path[..<end]): job \(key.job)")
                #expect(key.pairs.count <= full.pairs.count)
                parsed += 1
            } catch {
                #expect(error.kind == .badRequest)
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 0)
    }
}
