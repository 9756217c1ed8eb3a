import PharosCore
@testable import Probes
import Testing

/// blackbox's `getTimeout`: the scrape header minus the offset, capped by the module's timeout.
@Suite struct ProbeTimeoutTests {
    @Test(arguments: [
        (nil as String?, 0 as Int64, 119.5),
        ("10", 0, 9.5),
        ("10", 5_000, 5),
        ("10", 20_000, 9.5),
        ("0.2", 3_000, 3),
        ("", 2_000, 2),
    ])
    func timeout(header: String?, moduleMilliseconds: Int64, want: Double) throws {
        var module = ProbeModule()
        module.timeout = PrometheusDuration(milliseconds: moduleMilliseconds)
        #expect(try ProbeRunner.timeoutSeconds(scrapeTimeoutHeader: header, module: module) == want)
    }

    @Test func badHeader() {
        #expect(throws: ProbeRequestError.self) { try ProbeRunner.timeoutSeconds(scrapeTimeoutHeader: "ten", module: ProbeModule()) }
    }
}
