/// Endpoints, EndpointSlices and Ingresses, as decoded for discovery.

package struct KubernetesEndpoints: KubernetesObject {
    package struct Address: Codable, Sendable, Hashable {
        package var ip: String?
        package var hostname: String?
        package var nodeName: String?
        package var targetRef: ObjectReference?
    }

    package struct Port: Codable, Sendable, Hashable {
        package var name: String?
        package var port: Int?
        package var `protocol`: String?
    }

    package struct Subset: Codable, Sendable, Hashable {
        package var addresses: [Address]?
        package var notReadyAddresses: [Address]?
        package var ports: [Port]?
    }

    package var metadata: ObjectMeta
    package var subsets: [Subset]?
}

package struct KubernetesEndpointSlice: KubernetesObject {
    package struct Conditions: Codable, Sendable, Hashable {
        package var ready: Bool?
        package var serving: Bool?
        package var terminating: Bool?
    }

    package struct Endpoint: Codable, Sendable, Hashable {
        package var addresses: [String]?
        package var conditions: Conditions?
        package var hostname: String?
        package var targetRef: ObjectReference?
        package var nodeName: String?
        package var zone: String?
        package var deprecatedTopology: [String: String]?
    }

    package struct Port: Codable, Sendable, Hashable {
        package var name: String?
        package var port: Int?
        package var `protocol`: String?
        package var appProtocol: String?
    }

    package var metadata: ObjectMeta
    package var addressType: String?
    package var endpoints: [Endpoint]?
    package var ports: [Port]?

    /// The label tying a slice to its service.
    package static let serviceNameLabel = "kubernetes.io/service-name"
}

package struct KubernetesIngress: KubernetesObject {
    package struct Path: Codable, Sendable, Hashable {
        package var path: String?
    }

    package struct HTTPRule: Codable, Sendable, Hashable {
        package var paths: [Path]?
    }

    package struct Rule: Codable, Sendable, Hashable {
        package var host: String?
        package var http: HTTPRule?
    }

    package struct TLS: Codable, Sendable, Hashable {
        package var hosts: [String]?
    }

    package struct Spec: Codable, Sendable, Hashable {
        package var ingressClassName: String?
        package var rules: [Rule]?
        package var tls: [TLS]?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
}

/// A list answer: `{"metadata": {"resourceVersion", "continue"}, "items": [...]}`.
struct KubernetesList<Object: KubernetesObject>: Decodable {
    struct Meta: Decodable {
        var resourceVersion: String?
        var `continue`: String?
    }

    var metadata: Meta?
    var items: [Object]?
}

/// A watch event line: `{"type": "ADDED", "object": {...}}`.
struct WatchEvent<Object: Decodable>: Decodable {
    var type: String
    var object: Object
}

/// The `type` of a watch event line, decoded first to pick the object's shape.
struct WatchEventType: Decodable {
    var type: String
}

/// The object of BOOKMARK events: only metadata matters.
struct BookmarkObject: Decodable {
    struct Meta: Decodable { var resourceVersion: String? }
    var metadata: Meta?
}

/// A `Status` object (error answers, ERROR watch events).
struct KubernetesStatus: Decodable {
    var code: Int?
    var reason: String?
    var message: String?
}
