import Logging
import PharosConfig
import PharosCore
import PharosHTTP
import Probes

/// `/probe` answered by the probes component.
struct ProbeHandlingAdapter: ProbeHandling {
    let service: ProbeService

    func probe(module: String?, target: String?, debug: Bool, scrapeTimeout: String?) async -> (status: Int, contentType: String, body: String) {
        let answer = await service.handle(module: module, target: target, debug: debug, scrapeTimeout: scrapeTimeout)
        return (answer.status, answer.contentType, answer.body)
    }
}

extension PharosServer {
    /// The probes component from `probes:` (modules, checks), its scheduler writing to
    /// `appendable`, and its reload step.
    static func makeProbes(config: PharosConfig, appendable: any Appendable, logger: Logger) throws(ServerError) -> (ProbeService, CheckScheduler) {
        let probes: ProbesConfig
        do { probes = try ProbesConfig.decode(config) } catch {
            throw ServerError(.config, "", "\(error)")
        }
        let service = ProbeService(config: probes, runner: ProbeRunner(logger: logger))
        let scheduler = CheckScheduler(service: service, appendable: appendable, logger: logger, now: wallClockMilliseconds)
        return (service, scheduler)
    }

    /// The reload step: modules follow the file, checks restart.
    static func applyProbes(_ config: PharosConfig, to service: ProbeService, scheduler: CheckScheduler) throws {
        service.apply(try ProbesConfig.decode(config))
        scheduler.reload()
    }
}
