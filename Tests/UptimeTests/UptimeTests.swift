import Foundation
import PharosCore
import Testing
import Uptime

/// Uptime and incidents from `probe_success` samples, and the status page and API over them.
struct UptimeTests {
    static let minute: Int64 = 60_000
    static let now: Int64 = 1_800_000_000_000

    /// One probe a minute for the last `minutes`, failing where `down` says (minutes ago).
    static func samples(minutes: Int64, down: Set<Int64>) -> [Sample] {
        (0..<minutes).reversed().map { ago in
            Sample(timestamp: now - ago * minute, value: down.contains(ago) ? 0 : 1)
        }
    }

    @Test func percentagesPerWindowAndIncidentsNewestFirst() {
        // Two days of probes: down 3 minutes two days ago (outside 24 h) and 2 minutes now-ish.
        let down: Set<Int64> = [2000, 2001, 2002, 10, 11]
        let uptime = CheckUptime(check: "api", target: "https://api", samples: Self.samples(minutes: 2880, down: down), now: Self.now)
        #expect(uptime.up == true)
        #expect(uptime.lastProbe == Self.now)
        let day: Double = 100.0 * 1438.0 / 1440.0, twoDays: Double = 100.0 * 2875.0 / 2880.0
        #expect(abs((uptime.percent["24h"] ?? 0) - day) < 1e-9)
        #expect(abs((uptime.percent["7d"] ?? 0) - twoDays) < 1e-9)
        #expect(uptime.incidents.count == 2)
        let minute = Self.minute, now = Self.now
        let latest = CheckUptime.Incident(start: now - 11 * minute, end: now - 9 * minute, failedProbes: 2)
        let earlier = CheckUptime.Incident(start: now - 2002 * minute, end: now - 1999 * minute, failedProbes: 3)
        #expect(uptime.incidents == [latest, earlier])
        #expect(uptime.incidents[0].durationSeconds(now: Self.now) == 120)
    }

    @Test func anOngoingIncidentHasNoEnd() {
        let uptime = CheckUptime(check: "db", target: "db:5432", samples: Self.samples(minutes: 60, down: [0, 1, 2]), now: Self.now)
        #expect(uptime.up == false)
        #expect(uptime.incidents.first?.end == nil)
        #expect(uptime.incidents.first?.durationSeconds(now: Self.now) == 120)
    }

    @Test func noSamplesMeansNoDataNotDown() {
        let uptime = CheckUptime(check: "new", target: "x", samples: [], now: Self.now)
        #expect(uptime.up == nil)
        #expect(uptime.percent.isEmpty)
        #expect(uptime.incidents.isEmpty)
        // Samples older than 30 days and stale markers count for nothing.
        let old = CheckUptime(check: "old", target: "x", samples: [
            Sample(timestamp: Self.now - 31 * 86_400_000, value: 0),
            Sample(timestamp: Self.now - Self.minute, value: Double(bitPattern: 0x7ff0_0000_0000_0002)),
        ], now: Self.now)
        #expect(old.up == nil && old.incidents.isEmpty)
    }

    @Test func statusPageIsPlainHTMLWithEscapedNames() {
        let ok = CheckUptime(check: "api", target: "a", samples: Self.samples(minutes: 60, down: [30]), now: Self.now)
        let bad = CheckUptime(check: "<db & co>", target: "b", samples: Self.samples(minutes: 60, down: [0]), now: Self.now)
        let page = StatusPage.html([ok, bad], now: Self.now)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.contains("<script"))
        #expect(page.contains("1 of 2 checks down: &lt;db &amp; co&gt;"), "\(page)")
        #expect(!page.contains("<db & co>"))
        #expect(page.contains("<td>api</td><td class=\"ok\">up</td>"), "\(page)")
        #expect(page.contains("ongoing"))
        #expect(page.contains("98.333 %"), "\(page)")
        let calm = StatusPage.html([ok], now: Self.now)
        #expect(calm.contains("All systems operational"))
        #expect(StatusPage.html([], now: Self.now).contains("No checks are configured"))
    }

    @Test func uptimeJSON() throws {
        let check = CheckUptime(check: "api", target: "a", samples: Self.samples(minutes: 10, down: [5]), now: Self.now)
        let object = try JSONSerialization.jsonObject(with: Data(StatusPage.json([check], now: Self.now))) as? [String: Any]
        let entry = try #require((object?["data"] as? [[String: Any]])?.first)
        #expect(entry["check"] as? String == "api")
        #expect(entry["up"] as? Bool == true)
        #expect((entry["uptime"] as? [String: Any])?["24h"] as? Double == 90)
        let incident = try #require((entry["incidents"] as? [[String: Any]])?.first)
        #expect(incident["durationSeconds"] as? Double == 60)
        #expect(incident["failedProbes"] as? Int == 1)
    }
}
