import Exposition
import Foundation
import PharosCore
import PharosTestSupport
import Snappy
import Testing

/// Random and mutated `/api/v1/write` bodies against the `pharos` binary: every broken body is
/// a 400 with a message, the process never dies, and it still answers `/-/healthy` after.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RemoteWriteFuzzTests {
    static func validRequest() -> WriteRequest {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return WriteRequest(timeseries: (0..<4).map { i in
            RemoteTimeSeries(labels: [Label(name: "__name__", value: "pharos_it_fuzz"), Label(name: "i", value: "\(i)")],
                             samples: (0..<5).map { Sample(timestamp: now - 60_000 + Int64($0) * 1000, value: Double(i * $0)) })
        })
    }

    /// A broken body: which mutation, and the bytes to send.
    static func mutations(seed: UInt64, count: Int) -> [(String, [UInt8])] {
        var random = SplitMix64(seed: seed)
        let protobuf = RemoteWriteEncoder.encode(validRequest())
        let snappy = Snappy.compress(protobuf)
        var bodies: [(String, [UInt8])] = []
        for n in 0..<count {
            switch n % 5 {
            case 0:
                let length = Int.random(in: 1...2048, using: &random)
                bodies.append(("random bytes", (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }))
            case 1:
                bodies.append(("truncated snappy", Array(snappy.prefix(Int.random(in: 1..<snappy.count, using: &random)))))
            case 2:
                var body = snappy
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    body[Int.random(in: 0..<body.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
                bodies.append(("flipped snappy", body))
            case 3:
                let length = Int.random(in: 1...512, using: &random)
                bodies.append(("random protobuf", Snappy.compress((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })))
            default:
                var message = protobuf
                let cut = Int.random(in: 1..<message.count, using: &random)
                if Bool.random(using: &random) {
                    message.removeLast(message.count - cut)
                } else {
                    message[cut] ^= UInt8.random(in: 1...255, using: &random)
                }
                bodies.append(("mutated protobuf", Snappy.compress(message)))
            }
        }
        return bodies
    }

    @Test func brokenBodiesGet400AndNeverCrashTheServer() async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let client = pharos.client
            let valid = try await client.remoteWrite(Self.validRequest())
            #expect((200..<300).contains(valid.status), "a valid body was refused: \(valid.status) \(valid.body)")

            let seed: UInt64 = 0x5EED_0001
            var rejected = 0
            var accepted = 0
            for (index, (kind, body)) in Self.mutations(seed: seed, count: 300).enumerated() {
                let response: TestHTTPClient.Response
                do {
                    response = try await client.post("/api/v1/write", bytes: body, headers: RemoteWriteEncoder.headers)
                } catch {
                    Issue.record("seed \(seed) body \(index) (\(kind)): request failed: \(error); running: \(pharos.peer.isRunning)\n\(pharos.log)")
                    return
                }
                if (200..<300).contains(response.status) {
                    // A mutation can still be a well-formed request (a changed label value, say).
                    accepted += 1
                    continue
                }
                rejected += 1
                #expect(response.status == 400, "seed \(seed) body \(index) (\(kind)): \(response.status) \(response.body)")
                #expect(!response.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                        "seed \(seed) body \(index) (\(kind)): 400 without a message")
            }
            #expect(rejected > 200, "only \(rejected) of 300 broken bodies were rejected (\(accepted) accepted)")
            #expect(pharos.peer.isRunning, "pharos died:\n\(pharos.log)")
            #expect(try await client.get("/-/healthy").status == 200)
            // The valid samples written first are intact.
            let at = Date().timeIntervalSince1970
            let count = try await client.query(#"count(pharos_it_fuzz{i="3"})"#, at: at)
            #expect(count.series["{}"]?.first?.value == 1, "\(count)")
        }
    }

    @Test(arguments: [
        ("empty body with snappy headers", [UInt8](), [("Content-Encoding", "snappy"), ("Content-Type", "application/x-protobuf")]),
        ("plain text body", Array("up 1\n".utf8), [("Content-Encoding", "snappy"), ("Content-Type", "application/x-protobuf")]),
        ("uncompressed protobuf", RemoteWriteEncoder.encode(validRequest()), [("Content-Encoding", "snappy"), ("Content-Type", "application/x-protobuf")]),
    ])
    func malformedRequestsAreRejectedWithAMessage(_ name: String, _ body: [UInt8], _ headers: [(String, String)]) async throws {
        try await withTemporaryDirectory { folder in
            let pharos = try await PharosSubprocess(dataPath: folder + "/data", logPath: folder + "/pharos.log")
            defer { pharos.stop() }
            let response = try await pharos.client.post("/api/v1/write", bytes: body, headers: headers.map { (name: $0.0, value: $0.1) })
            #expect(response.status == 400, "\(name): \(response.status) \(response.body)")
            #expect(!response.body.isEmpty, "\(name): 400 without a message")
            #expect(try await pharos.client.get("/-/healthy").status == 200)
        }
    }
}
