import PharosCore

/// node_exporter's `stat` collector (softirq off): interrupts, context switches, forks, boot
/// time and running/blocked processes from /proc/stat.
struct StatCollector: NodeCollector {
    let name = "stat"
    let paths: HostPaths

    func update(_ metrics: inout NodeMetrics) throws(HostMetricsError) {
        let stat = try ProcStat.read(paths)
        metrics.add("node_intr_total", "Total number of interrupts serviced.", .counter, Double(stat.interrupts))
        metrics.add("node_context_switches_total", "Total number of context switches.", .counter, Double(stat.contextSwitches))
        metrics.add("node_forks_total", "Total number of forks.", .counter, Double(stat.processesCreated))
        metrics.add("node_boot_time_seconds", "Node boot time, in unixtime.", .gauge, Double(stat.bootTime))
        metrics.add("node_procs_running", "Number of processes in runnable state.", .gauge, Double(stat.processesRunning))
        metrics.add("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", .gauge,
                    Double(stat.processesBlocked))
    }
}
