import Foundation
import PharosCore

/// Where an SLO stands, from its recorded error ratios (`slo:sli_error:ratio_rate<w>`):
/// the SLI over the window, the share of the error budget left, the burn rate per window, and
/// when the budget runs out if errors keep coming at the last hour's rate.
package struct SLOStatus: Sendable {
    package var spec: SLOSpec
    /// The fraction of good events over the SLO window; nil before there is data.
    package var sli: Double?
    /// 1 = untouched, 0 = spent, negative = overspent; nil before there is data.
    package var errorBudgetRemaining: Double?
    /// Error ratio over the window divided by the error budget (1 = spending exactly on plan).
    package var burnRates: [String: Double]
    /// Unix seconds at which the budget is spent at the 1h burn rate; nil when it is not being
    /// spent (or there is no data); `now` when it already is.
    package var budgetExhaustedAt: Double?

    /// The status from the latest recorded error ratio per window name (`5m`, …, `30d`).
    package init(spec: SLOSpec, errorRatios: [String: Double], now: Double) {
        self.spec = spec
        let budget = spec.errorBudget
        var rates: [String: Double] = [:]
        for window in SLORules.burnWindows {
            if let ratio = errorRatios[window], ratio.isFinite { rates[window] = ratio / budget }
        }
        burnRates = rates
        if let overall = errorRatios[spec.windowName], overall.isFinite {
            sli = 1 - overall
            errorBudgetRemaining = 1 - overall / budget
        }
        if let remaining = errorBudgetRemaining {
            if remaining <= 0 {
                budgetExhaustedAt = now
            } else if let burn = rates["1h"], burn > 0 {
                // At burn rate b the whole budget lasts window / b.
                budgetExhaustedAt = now + remaining * Double(spec.window.milliseconds) / 1000 / burn
            }
        }
    }

    /// The entry of `GET /api/pharos/v1/slos` (CONFIG.md).
    package var json: [String: Any] {
        var out: [String: Any] = [
            "service": spec.service, "name": spec.name, "objective": spec.objective, "window": spec.windowName,
            "labels": spec.labels, "sli": sli.map { $0 as Any } ?? NSNull(),
            "indicator": spec.indicatorDescription,
            "errorBudget": spec.errorBudget,
            "errorBudgetRemaining": errorBudgetRemaining.map { $0 as Any } ?? NSNull(),
            "burnRates": Dictionary(uniqueKeysWithValues: SLORules.burnWindows.map { ($0, burnRates[$0].map { $0 as Any } ?? NSNull()) }),
        ]
        if let at = budgetExhaustedAt {
            out["budgetExhaustedAt"] = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: at))
        } else {
            out["budgetExhaustedAt"] = NSNull()
        }
        return out
    }

    /// The response body for `statuses`.
    package static func responseBody(_ statuses: [SLOStatus]) -> [UInt8] {
        let object: [String: Any] = ["status": "success", "data": statuses.map(\.json)]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Array(data)
    }
}

extension SLOSpec {
    /// The SLI in words, for the API and the UI.
    package var indicatorDescription: [String: Any] {
        switch indicator {
        case .errors(let errors, let total): ["kind": "ratio", "errors": errors, "total": total]
        case .good(let good, let total): ["kind": "ratio", "good": good, "total": total]
        case .latency(let histogram, let threshold): ["kind": "latency", "histogram": histogram, "threshold": threshold]
        case .check(let check): ["kind": "check", "check": check]
        }
    }

    /// The query returning this SLO's recorded error ratios (one series per window).
    package var errorRatiosQuery: String {
        "{__name__=~\"slo:sli_error:ratio_rate.+\",slo_service=\(goQuote(service)),slo_name=\(goQuote(name))}"
    }

    /// The window of a recorded error-ratio series name (`slo:sli_error:ratio_rate1h` → `1h`).
    package static func window(ofSeries name: String) -> String? {
        let prefix = "slo:sli_error:ratio_rate"
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : nil
    }
}
