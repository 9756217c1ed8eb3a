import NIOCore
import PharosCore

/// One active scrape target as `/api/v1/targets` lists it.
package struct APIActiveTarget: Sendable, Hashable {
    package var discoveredLabels: Labels
    package var labels: Labels
    package var scrapePool: String
    package var scrapeURL: String
    package var lastError: String
    /// Start of the last scrape (ms); nil before the first.
    package var lastScrape: Timestamp?
    package var lastScrapeDuration: Double
    /// `up`, `down` or `unknown`.
    package var health: String
    package var scrapeInterval: String
    package var scrapeTimeout: String

    package init(discoveredLabels: Labels, labels: Labels, scrapePool: String, scrapeURL: String, lastError: String,
                 lastScrape: Timestamp?, lastScrapeDuration: Double, health: String, scrapeInterval: String,
                 scrapeTimeout: String) {
        self.discoveredLabels = discoveredLabels
        self.labels = labels
        self.scrapePool = scrapePool
        self.scrapeURL = scrapeURL
        self.lastError = lastError
        self.lastScrape = lastScrape
        self.lastScrapeDuration = lastScrapeDuration
        self.health = health
        self.scrapeInterval = scrapeInterval
        self.scrapeTimeout = scrapeTimeout
    }
}

/// Where `/api/v1/targets` reads targets from (the scrape manager, adapted by the server).
package protocol TargetsProviding: Sendable {
    func activeTargets() async -> [APIActiveTarget]
    /// Dropped targets kept for display (at most `keep_dropped_targets` per pool when set):
    /// the labels they were discovered with, and their pool.
    func droppedTargets() async -> [(scrapePool: String, discoveredLabels: Labels)]
    /// Targets dropped per pool in all (not capped by `keep_dropped_targets`), every pool
    /// listed, 0 included. Default: counted from `droppedTargets()`.
    func droppedTargetCounts() async -> [String: Int]
}

extension TargetsProviding {
    package func droppedTargetCounts() async -> [String: Int] {
        var counts: [String: Int] = [:]
        for target in await droppedTargets() { counts[target.scrapePool, default: 0] += 1 }
        return counts
    }
}

extension PrometheusAPI {
    /// `/api/v1/targets?state=active|dropped|any&scrapePool=…`, in Prometheus 3's shape: pools
    /// in name order (targets in discovery order within a pool), dropped targets with their
    /// `scrapePool`. Any other `state` shows neither list (not an error, as in Prometheus);
    /// `droppedTargetCounts` is `null` unless dropped targets are shown.
    package static func targets(_ form: FormParameters, from provider: any TargetsProviding) async throws(APIError) -> ByteBuffer {
        let state = (form["state"] ?? "").lowercased()
        let pool = form["scrapePool"] ?? ""
        let showActive = ["", "any", "active"].contains(state), showDropped = ["", "any", "dropped"].contains(state)
        let active = showActive ? sortedByPool(await provider.activeTargets().filter { pool.isEmpty || $0.scrapePool == pool }, \.scrapePool) : []
        let dropped = showDropped ? sortedByPool(await provider.droppedTargets().filter { pool.isEmpty || $0.scrapePool == pool }, \.scrapePool) : []
        let counts = showDropped ? await provider.droppedTargetCounts() : [:]
        return APIResponse.success { json in
            json.raw("{\"activeTargets\":[")
            for (index, target) in active.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"discoveredLabels\":"); json.labels(target.discoveredLabels)
                json.raw(",\"labels\":"); json.labels(target.labels)
                json.raw(",\"scrapePool\":"); json.string(target.scrapePool)
                json.raw(",\"scrapeUrl\":"); json.string(target.scrapeURL)
                json.raw(",\"globalUrl\":"); json.string(target.scrapeURL)
                json.raw(",\"lastError\":"); json.string(target.lastError)
                json.raw(",\"lastScrape\":")
                json.string(target.lastScrape.map(RFC3339.format) ?? "0001-01-01T00:00:00Z")
                json.raw(",\"lastScrapeDuration\":"); json.raw("\(target.lastScrapeDuration)")
                json.raw(",\"health\":"); json.string(target.health)
                json.raw(",\"scrapeInterval\":"); json.string(target.scrapeInterval)
                json.raw(",\"scrapeTimeout\":"); json.string(target.scrapeTimeout)
                json.raw("}")
            }
            json.raw("],\"droppedTargets\":[")
            for (index, target) in dropped.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"discoveredLabels\":"); json.labels(target.discoveredLabels)
                json.raw(",\"scrapePool\":"); json.string(target.scrapePool); json.raw("}")
            }
            guard showDropped else { return json.raw("],\"droppedTargetCounts\":null}") }
            json.raw("],\"droppedTargetCounts\":{")
            for (index, pool) in counts.keys.sorted().enumerated() {
                if index > 0 { json.raw(",") }
                json.string(pool); json.raw(":\(counts[pool]!)")
            }
            json.raw("}}")
        }
    }
}

/// Stable sort by pool name (Prometheus walks pools in sorted order).
private func sortedByPool<T>(_ items: [T], _ pool: (T) -> String) -> [T] {
    items.enumerated().sorted { (pool($0.element), $0.offset) < (pool($1.element), $1.offset) }.map(\.element)
}
