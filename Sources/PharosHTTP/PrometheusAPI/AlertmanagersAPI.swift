import NIOCore

/// The Alertmanagers the notifier sends to, for `/api/v1/alertmanagers`.
package protocol AlertmanagersProviding: Sendable {
    /// Active Alertmanager URLs and those dropped by relabelling, each in discovery order.
    func alertmanagers() -> (active: [String], dropped: [String])
}

extension PrometheusAPI {
    /// `{"activeAlertmanagers":[{"url":…}],"droppedAlertmanagers":[{"url":…}]}`, as Prometheus.
    package static func alertmanagers(from provider: any AlertmanagersProviding) -> ByteBuffer {
        let (active, dropped) = provider.alertmanagers()
        return APIResponse.success { json in
            func urls(_ urls: [String]) {
                json.raw("[")
                for (index, url) in urls.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.raw("{\"url\":")
                    json.string(url)
                    json.raw("}")
                }
                json.raw("]")
            }
            json.raw("{\"activeAlertmanagers\":")
            urls(active)
            json.raw(",\"droppedAlertmanagers\":")
            urls(dropped)
            json.raw("}")
        }
    }
}
