import Foundation
import PharosConfig
import PharosHTTPClient

/// A resource collection: `/api/v1/pods`, `/api/v1/namespaces/<ns>/pods`,
/// `/apis/discovery.k8s.io/v1/endpointslices`, …
struct KubernetesResource: Sendable, Hashable {
    enum Kind: String, Sendable, Hashable, CaseIterable {
        case pods, nodes, services, endpoints, endpointslices, ingresses, namespaces

        /// The API group path.
        var groupPath: String {
            switch self {
            case .endpointslices: "/apis/discovery.k8s.io/v1"
            case .ingresses: "/apis/networking.k8s.io/v1"
            default: "/api/v1"
            }
        }

        var isNamespaced: Bool { self != .nodes && self != .namespaces }

        /// The `role` label of `prometheus_sd_kubernetes_events_total`; nil for namespaces.
        var eventRole: String? {
            switch self {
            case .pods: "pod"
            case .nodes: "node"
            case .services: "service"
            case .endpoints: "endpoints"
            case .endpointslices: "endpointslice"
            case .ingresses: "ingress"
            case .namespaces: nil
            }
        }
    }

    var kind: Kind
    /// nil: all namespaces (or a cluster-scoped kind).
    var namespace: String?

    var path: String {
        kind.groupPath + (namespace.map { "/namespaces/\(percentEncode($0))" } ?? "") + "/" + kind.rawValue
    }

    var description: String { namespace.map { "\(kind.rawValue) in \($0)" } ?? kind.rawValue }
}

/// Requests to one API server: paginated lists and streaming watches, JSON only.
struct KubernetesAPI: Sendable {
    let baseURL: String
    let client: PharosHTTPClient
    var userAgent = "Pharos/0.1"
    var requestTimeout: Duration = .seconds(60)

    /// Every page of a list (500 per page).
    /// - Returns: the objects and the list's resourceVersion (where a watch starts).
    func list<Object: KubernetesObject>(_ resource: KubernetesResource, selector: KubernetesSDConfig.Selector,
                                        as type: Object.Type) async throws(DiscoveryError) -> (items: [Object], resourceVersion: String) {
        var items: [Object] = []
        var next: String?
        repeat {
            var query = Self.selectorQuery(selector) + [("limit", "500")]
            if let next { query.append(("continue", next)) }
            let url = baseURL + resource.path + "?" + Self.encode(query)
            let response: HTTPFetchResponse
            do {
                response = try await client.get(url, headers: headers, timeout: requestTimeout)
            } catch {
                throw DiscoveryError(.transport, location: "kubernetes \(resource.description)", "list: \(error.description)")
            }
            guard response.status == 200 else {
                throw Self.statusError(response.status, response.statusLine, response.body, resource: resource, verb: "list")
            }
            let page: KubernetesList<Object>
            do {
                page = try JSONDecoder().decode(KubernetesList<Object>.self, from: Data(response.body))
            } catch {
                throw DiscoveryError(.parse, location: "kubernetes \(resource.description)", "list: cannot parse answer: \(error)")
            }
            items += page.items ?? []
            next = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
            if next == nil { return (items, page.metadata?.resourceVersion ?? "") }
        } while true
    }

    /// Opens a watch from `resourceVersion` and feeds every complete line to `line`.
    /// Returns when the server ends the stream; throws on a non-200 answer (`.gone` for 410),
    /// transport errors, a line longer than 16 MiB, or whatever `line` throws.
    func watch(_ resource: KubernetesResource, selector: KubernetesSDConfig.Selector, resourceVersion: String,
               timeoutSeconds: Int, line: (ArraySlice<UInt8>) async throws(DiscoveryError) -> Void) async throws(DiscoveryError) {
        let query = Self.selectorQuery(selector) + [
            ("watch", "true"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", String(timeoutSeconds)),
        ]
        let url = baseURL + resource.path + "?" + Self.encode(query)
        let location = "kubernetes \(resource.description)"
        do {
            try await client.stream(url, headers: headers, timeout: .seconds(timeoutSeconds + 30)) { response in
                guard response.status == 200 else {
                    var body: [UInt8] = []
                    for try await chunk in response.chunks where body.count < 65_536 { body += chunk }
                    throw Self.statusError(response.status, response.statusLine, body, resource: resource, verb: "watch")
                }
                var splitter = LineSplitter()
                for try await chunk in response.chunks {
                    try splitter.append(chunk)
                    while let next = splitter.nextLine() { try await line(next) }
                }
                if let rest = splitter.finish() { try await line(rest) }
            }
        } catch let error as DiscoveryError {
            throw error
        } catch let error as LineSplitter.TooLong {
            throw DiscoveryError(.parse, location: location, "watch: \(error)")
        } catch {
            throw DiscoveryError(.transport, location: location, "watch: \(error)")
        }
    }

    private var headers: [(name: String, value: String)] {
        [("Accept", "application/json"), ("User-Agent", userAgent)]
    }

    static func selectorQuery(_ selector: KubernetesSDConfig.Selector) -> [(String, String)] {
        var query: [(String, String)] = []
        if !selector.label.isEmpty { query.append(("labelSelector", selector.label)) }
        if !selector.field.isEmpty { query.append(("fieldSelector", selector.field)) }
        return query
    }

    static func encode(_ query: [(String, String)]) -> String {
        query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    static func statusError(_ status: Int, _ line: String, _ body: [UInt8], resource: KubernetesResource, verb: String) -> DiscoveryError {
        let message = (try? JSONDecoder().decode(KubernetesStatus.self, from: Data(body)))?.message ?? ""
        let text = "\(verb): server returned HTTP status \(line)" + (message.isEmpty ? "" : ": \(message)")
        return DiscoveryError(status == 410 ? .gone : .httpStatus, location: "kubernetes \(resource.description)", text)
    }
}

/// Percent-encoding for query values and path segments (RFC 3986 unreserved bytes stay).
func percentEncode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF".unicodeScalars)
            out += "%"
            out.unicodeScalars.append(hex[Int(byte >> 4)])
            out.unicodeScalars.append(hex[Int(byte & 0xf)])
        }
    }
    return out
}
