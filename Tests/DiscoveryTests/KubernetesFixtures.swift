/// Kubernetes objects as the API serves them, modelled on Prometheus' discovery/kubernetes tests.
enum KubernetesFixtures {
    static let multiPortPod = """
        {"metadata": {"name": "testpod", "namespace": "default", "uid": "abc123",
          "labels": {"test/label": "testvalue"}, "annotations": {"test/annotation": "testannotationvalue"},
          "ownerReferences": [{"kind": "testcontrollerkind", "name": "testcontrollername", "controller": true}]},
         "spec": {"nodeName": "testnode", "containers": [
           {"name": "testcontainer0", "image": "testcontainer0:latest", "ports": [
             {"name": "testport0", "protocol": "TCP", "containerPort": 9000},
             {"name": "testport1", "protocol": "UDP", "containerPort": 9001}]},
           {"name": "testcontainer1", "image": "testcontainer1:latest"}]},
         "status": {"podIP": "1.2.3.4", "hostIP": "2.3.4.5", "phase": "Running",
           "conditions": [{"type": "Ready", "status": "True"}],
           "containerStatuses": [{"name": "testcontainer0", "containerID": "docker://a1b2c3d4e5f6"},
                                 {"name": "testcontainer1", "containerID": "containerd://6f5e4d3c2b1a"}]}}
        """

    static let endpoints = """
        {"metadata": {"name": "testendpoints", "namespace": "default", "annotations": {"test.annotation": "test"}},
         "subsets": [
           {"addresses": [{"ip": "1.2.3.4", "hostname": "testendpoint1", "nodeName": "foobar"}],
            "ports": [{"name": "testport", "port": 9000, "protocol": "TCP"}]},
           {"addresses": [{"ip": "2.3.4.5"}], "notReadyAddresses": [{"ip": "2.3.4.5"}],
            "ports": [{"name": "testport", "port": 9001, "protocol": "TCP"}]},
           {"addresses": [{"ip": "6.7.8.9", "targetRef": {"kind": "Node", "name": "barbaz"}}],
            "ports": [{"name": "testport", "port": 9002, "protocol": "TCP"}]}]}
        """

    static let service = """
        {"metadata": {"name": "testendpoints", "namespace": "default", "labels": {"app/name": "test"}},
         "spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1",
                  "ports": [{"name": "testport", "port": 30900, "protocol": "TCP"}, {"name": "other", "port": 8080}]}}
        """

    static let node = """
        {"metadata": {"name": "testnode", "labels": {"test-label": "testvalue"}, "annotations": {"test-annotation": "testannotationvalue"}},
         "spec": {"providerID": "aws:///us-east-1a/i-1"},
         "status": {"addresses": [{"type": "ExternalIP", "address": "5.6.7.8"}, {"type": "InternalIP", "address": "1.2.3.4"}],
                    "conditions": [{"type": "Ready", "status": "True"}, {"type": "MemoryPressure", "status": "False"}],
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}}}}
        """

    static let endpointSlice = """
        {"metadata": {"name": "testendpoints", "namespace": "default",
           "labels": {"kubernetes.io/service-name": "testendpoints"}, "annotations": {"test.annotation": "test"}},
         "addressType": "IPv4",
         "ports": [{"name": "testport", "port": 9000, "protocol": "TCP", "appProtocol": "http"}],
         "endpoints": [
           {"addresses": ["1.2.3.4"], "conditions": {"ready": true, "serving": true, "terminating": false},
            "hostname": "testendpoint1", "nodeName": "foobar", "zone": "us-east-1a",
            "targetRef": {"kind": "Pod", "name": "testpod", "namespace": "default"}},
           {"addresses": ["2.3.4.5"], "conditions": {"ready": false}}]}
        """

    static let ingress = """
        {"metadata": {"name": "testingress", "namespace": "default", "labels": {"test/label": "testvalue"}},
         "spec": {"ingressClassName": "testclass",
           "tls": [{"hosts": ["*.example.com"]}],
           "rules": [
             {"host": "example.com", "http": {"paths": [{"path": "/"}, {"path": "/foo"}]}},
             {"host": "test.example.com", "http": {"paths": [{}]}},
             {"host": "nopath.example.com"}]}}
        """
}
