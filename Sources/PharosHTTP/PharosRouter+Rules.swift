import HTTPTypes
import Hummingbird

extension PharosRouter {
    /// `GET /api/v1/rules` and `GET /api/v1/alerts` over `provider` (other methods: 405, as
    /// Prometheus). The server adds them when it runs a rule manager.
    package static func addRulesAPI(_ provider: any RulesProviding, to router: Router<BasicRequestContext>, maxFormBodySize: Int = 1 << 20) {
        refuseMethods(on: "/api/v1/rules", in: router, allowing: [.get])
        refuseMethods(on: "/api/v1/alerts", in: router, allowing: [.get])
        router.get("/api/v1/rules") { request, _ in
            var request = request
            let form = try await Self.form(&request, limit: maxFormBodySize)
            return Self.json(try await PrometheusAPI.rules(form, from: provider))
        }
        router.get("/api/v1/alerts") { _, _ in
            Self.json(await PrometheusAPI.alerts(from: provider))
        }
    }

    /// `GET /api/v1/alertmanagers` over `provider` (other methods: 405).
    package static func addAlertmanagersAPI(_ provider: any AlertmanagersProviding, to router: Router<BasicRequestContext>) {
        refuseMethods(on: "/api/v1/alertmanagers", in: router, allowing: [.get])
        router.get("/api/v1/alertmanagers") { _, _ in Self.json(PrometheusAPI.alertmanagers(from: provider)) }
    }
}
