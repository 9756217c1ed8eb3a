import Logging
import PharosCore
import PharosHTTP
import PromQL
import PromQLParser
import TSDB

extension PharosServer {
    /// The server as `pharos serve` runs it: the TSDB under `options.storagePath` (ready once
    /// its WAL is replayed), the PromQL engine, and the selector parser for `match[]`.
    package static func standard(options: ServerOptions, logger: Logger, metrics: ServerMetrics) -> PharosServer {
        var server = PharosServer(options: options, logger: logger, metrics: metrics)
        var tsdbOptions = TSDBOptions()
        tsdbOptions.retentionTime = options.retentionTime.milliseconds > 0 ? options.retentionTime : nil
        tsdbOptions.retentionSize = options.retentionSizeBytes > 0 ? options.retentionSizeBytes : nil
        tsdbOptions.blockRange = options.minBlockDuration.milliseconds
        tsdbOptions.maxBlockDuration = options.maxBlockDuration?.milliseconds
        let storage = OpenedStorage()
        server.storage = storage
        server.engine = Engine()
        server.parseSelector = { text in try parseMetricSelector(text) }
        server.readyWhenListening = false
        server.services = [
            TSDBService(directory: options.storagePath, options: tsdbOptions, storage: storage,
                        gate: server.gate, logger: logger),
        ]
        return server
    }
}
