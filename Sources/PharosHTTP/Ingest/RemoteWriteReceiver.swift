import Foundation
import Exposition
import HTTPTypes
import PharosCore
import Snappy

/// The remote write 1.0 receiver behind `POST /api/v1/write` (Prometheus'
/// `storage/remote/write_handler.go`, v1 message).
///
/// Checks `Content-Type` (`application/x-protobuf`, empty accepted; a `proto=` other than
/// `prometheus.WriteRequest` → 415) and `Content-Encoding` (snappy or empty; else 415),
/// decompresses and decodes (corrupt body → 400 naming the byte offset), then appends every
/// sample in one `Appender` transaction and answers 204 only after `commit()` returned, so the
/// samples are in the WAL. Series without a metric name or with duplicate label names are
/// skipped and counted; samples more than 10 minutes ahead of `now` are out of bounds.
///
/// A sample the storage refuses (out of order, duplicate, out of bounds, too old): by default,
/// as Prometheus does for 1.0, the whole request is rolled back and answered 400 with the
/// error; with `partialWrites` (remote write 2.0's rule) refused samples are skipped, the rest
/// committed, and the 400 names the count and the first errors. Labels the storage refuses
/// are skipped and counted like invalid series; other storage errors → 500 (rolled back).
/// Exemplars go to storage after their series' samples, in the same transaction; one storage
/// refuses is dropped and counted, never failing the request (Prometheus' rule). Native
/// histograms and metadata are ignored. 503 while `isReady` is false.
package struct RemoteWriteReceiver: Sendable {
    package struct Configuration: Sendable {
        /// Largest compressed body accepted (413 beyond).
        package var maxBodySize = 32 << 20
        /// Largest decompressed message accepted (400 beyond).
        package var maxDecodedSize = Snappy.defaultMaxDecodedSize
        /// Samples newer than now plus this many ms are out of bounds (Prometheus: 10 min).
        package var maxAheadTime: Int64 = 10 * 60_000
        /// Commit the accepted samples of a request that had refused ones.
        package var partialWrites = false

        package init() {}
    }

    /// What one request did, for the response and for tests.
    package struct Outcome: Sendable, Hashable {
        package var response: IngestResponse
        /// Samples committed.
        package var appended = 0
        /// Samples the storage refused.
        package var rejected = 0
        /// Samples skipped for invalid label sets.
        package var invalidLabels = 0
        /// Exemplars handed to storage (which ignores a repeat of its series' newest one).
        package var exemplars = 0
        /// Exemplars storage refused (unknown series, out of order, labels too long); dropped.
        package var droppedExemplars = 0

        init(_ response: IngestResponse) { self.response = response }
    }

    package let appendable: any Appendable
    package let isReady: @Sendable () -> Bool
    package let now: @Sendable () -> Timestamp
    package var configuration: Configuration

    package init(appendable: any Appendable, configuration: Configuration = Configuration(),
                 isReady: @escaping @Sendable () -> Bool, now: @escaping @Sendable () -> Timestamp) {
        self.appendable = appendable
        self.configuration = configuration
        self.isReady = isReady
        self.now = now
    }

    static let protobufType = "application/x-protobuf"
    static let acceptedMessage = "prometheus.WriteRequest"

    /// Validates the headers; nil when they are acceptable.
    package func checkHeaders(contentType: String?, contentEncoding: String?) -> IngestResponse? {
        let type = (contentType ?? "").trimmingCharacters(in: .whitespaces)
        if !type.isEmpty {
            let parts = type.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard parts[0] == Self.protobufType else {
                return IngestResponse(.unsupportedMediaType, "expected \(Self.protobufType) as the first (media) part, got \(type) content-type")
            }
            for part in parts.dropFirst() {
                let pair = part.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                guard pair.count == 2 else {
                    return IngestResponse(.unsupportedMediaType, "as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got \(part) in \(type) content-type")
                }
                if pair[0] == "proto", pair[1] != Self.acceptedMessage {
                    return IngestResponse(.unsupportedMediaType, "\(pair[1]) protobuf message is not accepted by this server; accepted [\(Self.acceptedMessage)]")
                }
            }
        }
        if let encoding = contentEncoding, !encoding.isEmpty, encoding.lowercased() != "snappy" {
            return IngestResponse(.unsupportedMediaType, "\(encoding) encoding (compression) is not accepted by this server; only snappy is acceptable")
        }
        return nil
    }

    /// Handles one request body (already read, at most `maxBodySize` bytes).
    package func receive(body: [UInt8], contentType: String?, contentEncoding: String?) async -> Outcome {
        guard isReady() else { return Outcome(IngestResponse(.serviceUnavailable, "Service Unavailable: storage is not ready")) }
        if let refusal = checkHeaders(contentType: contentType, contentEncoding: contentEncoding) { return Outcome(refusal) }
        let request: WriteRequest
        do {
            request = try RemoteWriteDecoder.decode(snappyBody: body, maxDecodedSize: configuration.maxDecodedSize)
        } catch {
            let what = error.kind == .protobuf ? "cannot decode remote write request" : "cannot decompress remote write request"
            return Outcome(IngestResponse(.badRequest, "\(what): \(error)"))
        }
        return await write(request)
    }
}
