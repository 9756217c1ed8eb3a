struct TCPProber: Prober { func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool { false } }
struct PostgresProber: Prober { func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool { false } }
struct RedisProber: Prober { func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool { false } }
struct TLSProber: Prober { func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool { false } }
struct DiskProber: Prober { func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool { false } }
struct MemoryProber: Prober { func probe(target: String, module: ProbeModule, context: ProbeContext) async -> Bool { false } }
