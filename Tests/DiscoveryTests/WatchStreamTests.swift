@testable import Discovery
import Foundation
import PharosConfig
import PharosTestSupport
import Testing

/// The watch stream's line splitting and event decoding: any chunking gives the same lines;
/// broken input is an error, never a crash.
@Suite(.timeLimit(.minutes(2))) struct WatchStreamTests {
    static let stream = Array("""
        {"type":"ADDED","object":{"metadata":{"name":"a","namespace":"default","resourceVersion":"5"}}}\r
        \n   \n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}
        {"type":"DELETED","object":{"metadata":{"name":"a","namespace":"default"}}}
        """.utf8)

    static func lines(_ chunks: [[UInt8]]) throws -> [String] {
        var splitter = LineSplitter(maxLineLength: 1 << 12)
        var out: [String] = []
        for chunk in chunks {
            try splitter.append(chunk)
            while let line = splitter.nextLine() { out.append(String(decoding: line, as: UTF8.self)) }
        }
        if let rest = splitter.finish() { out.append(String(decoding: rest, as: UTF8.self)) }
        return out
    }

    @Test func anyChunkingGivesTheSameLines() throws {
        let whole = try Self.lines([Self.stream])
        #expect(whole.count == 3)
        #expect(whole[0].hasSuffix("}}}"))
        #expect(try Self.lines(Self.stream.map { [$0] }) == whole)
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var chunks: [[UInt8]] = [], rest = Self.stream[...]
            while !rest.isEmpty {
                let size = 1 + Int(random.next() % 40)
                chunks.append(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            #expect(try Self.lines(chunks) == whole)
        }
    }

    @Test func overLongLinesAreRefused() {
        #expect(throws: LineSplitter.TooLong.self) { _ = try Self.lines([Array(repeating: UInt8(ascii: "x"), count: 5000)]) }
        #expect(throws: LineSplitter.TooLong.self) {
            _ = try Self.lines((0..<100).map { _ in Array(repeating: UInt8(ascii: "x"), count: 100) })
        }
    }

    @Test(arguments: [
        "{", "not json", #"{"type": 1}"#, #"{"object": {}}"#, #"{"type":"ADDED","object":{}}"#,
        #"{"type":"ADDED","object":{"metadata":5}}"#, #"{"type":"ADDED","object":{"metadata":{"labels":{"a":1}}}}"#,
        #"{"type":"ADDED","object":{"metadata":{"name":"a"},"spec":{"containers":[{"ports":[{"containerPort":"x"}]}]}}}"#,
    ])
    func brokenEventLinesThrow(line: String) {
        let data = Data(line.utf8)
        let decoded = (try? JSONDecoder().decode(WatchEventType.self, from: data)).flatMap { _ in
            try? JSONDecoder().decode(WatchEvent<KubernetesPod>.self, from: data)
        }
        #expect(decoded == nil)
    }

    @Test func randomCorruptionOfObjectsNeverTraps() {
        let pod = Array(KubernetesFixtures.multiPortPod.utf8)
        var random = SplitMix64(seed: 99)
        for end in stride(from: 0, to: pod.count, by: 7) {
            _ = try? JSONDecoder().decode(KubernetesPod.self, from: Data(pod[..<end]))
        }
        for _ in 0..<1_000 {
            var bytes = pod
            bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            if let decoded = try? JSONDecoder().decode(KubernetesPod.self, from: Data(bytes)) {
                let store = KubernetesStore(pods: [decoded.metadata.key: decoded])
                _ = KubernetesTargets(store: store, attachNode: false, attachNamespace: false).group(role: .pod, key: decoded.metadata.key)
            }
        }
    }
}
