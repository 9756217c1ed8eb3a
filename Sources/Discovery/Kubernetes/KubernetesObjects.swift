/// The fields of Kubernetes API objects that discovery reads, decoded from the API's JSON.
/// Every field but `metadata` is optional (absent = unset, as Go's zero values); unknown
/// fields are ignored (the API grows).

package struct ObjectMeta: Codable, Sendable, Hashable {
    package var name: String?
    package var namespace: String?
    package var uid: String?
    package var resourceVersion: String?
    package var labels: [String: String]?
    package var annotations: [String: String]?
    package var ownerReferences: [OwnerReference]?

    package init(name: String, namespace: String? = nil) {
        self.name = name
        self.namespace = namespace
    }

    /// `namespace/name` for namespaced objects, `name` for cluster-scoped ones.
    package var key: String { namespace.map { "\($0)/\(name ?? "")" } ?? (name ?? "") }
}

package struct OwnerReference: Codable, Sendable, Hashable {
    package var kind: String?
    package var name: String?
    package var controller: Bool?
}

/// Any object reference (`targetRef` of endpoints).
package struct ObjectReference: Codable, Sendable, Hashable {
    package var kind: String?
    package var name: String?
    package var namespace: String?
}

/// What every watched kind shares.
package protocol KubernetesObject: Codable, Sendable, Hashable {
    var metadata: ObjectMeta { get }
}

// MARK: Pod

package struct KubernetesPod: KubernetesObject {
    package struct Port: Codable, Sendable, Hashable {
        package var name: String?
        package var containerPort: Int?
        package var `protocol`: String?
    }

    package struct Container: Codable, Sendable, Hashable {
        package var name: String?
        package var image: String?
        package var ports: [Port]?
    }

    package struct Spec: Codable, Sendable, Hashable {
        package var nodeName: String?
        package var containers: [Container]?
        package var initContainers: [Container]?
    }

    package struct Condition: Codable, Sendable, Hashable {
        package var type: String?
        package var status: String?
    }

    package struct ContainerStatus: Codable, Sendable, Hashable {
        package var name: String?
        package var containerID: String?
    }

    package struct Status: Codable, Sendable, Hashable {
        package var phase: String?
        package var podIP: String?
        package var hostIP: String?
        package var conditions: [Condition]?
        package var containerStatuses: [ContainerStatus]?
        package var initContainerStatuses: [ContainerStatus]?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?
}

// MARK: Node

package struct KubernetesNode: KubernetesObject {
    package struct Address: Codable, Sendable, Hashable {
        package var type: String?
        package var address: String?
    }

    package struct Condition: Codable, Sendable, Hashable {
        package var type: String?
        package var status: String?
    }

    package struct DaemonEndpoint: Codable, Sendable, Hashable {
        package var Port: Int?
    }

    package struct DaemonEndpoints: Codable, Sendable, Hashable {
        package var kubeletEndpoint: DaemonEndpoint?
    }

    package struct Spec: Codable, Sendable, Hashable {
        package var providerID: String?
    }

    package struct Status: Codable, Sendable, Hashable {
        package var addresses: [Address]?
        package var conditions: [Condition]?
        package var daemonEndpoints: DaemonEndpoints?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?
}

// MARK: Service

package struct KubernetesService: KubernetesObject {
    package struct Port: Codable, Sendable, Hashable {
        package var name: String?
        package var port: Int?
        package var `protocol`: String?
    }

    package struct Spec: Codable, Sendable, Hashable {
        package var ports: [Port]?
        package var clusterIP: String?
        package var type: String?
        package var externalName: String?
        package var loadBalancerIP: String?
        package var ipFamilyPolicy: String?
        package var ipFamilies: [String]?
    }

    package struct LoadBalancerIngress: Codable, Sendable, Hashable {
        package var ip: String?
    }

    package struct LoadBalancerStatus: Codable, Sendable, Hashable {
        package var ingress: [LoadBalancerIngress]?
    }

    package struct Status: Codable, Sendable, Hashable {
        package var loadBalancer: LoadBalancerStatus?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?
}

// MARK: Namespace

package struct KubernetesNamespace: KubernetesObject {
    package var metadata: ObjectMeta
}
