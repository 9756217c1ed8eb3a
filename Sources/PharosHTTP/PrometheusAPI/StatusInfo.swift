import NIOCore
import PharosCore

/// Facts served by `/api/v1/status/{buildinfo,runtimeinfo,flags,config}`. Thread-safe value;
/// the dynamic parts are closures the server supplies.
package struct StatusInfo: Sendable {
    package struct Build: Sendable {
        package var version = "0.0.0-dev"
        package var revision = "unknown"
        package var branch = "unknown"
        package var buildUser = "unknown"
        package var buildDate = "unknown"
        /// Prometheus' clients read `goVersion`; Pharos reports its Swift version there.
        package var goVersion = "swift"
        package init() {}
    }

    /// Prometheus' `RuntimeInfo`, with Go-specific fields given the nearest Pharos meaning.
    package struct Runtime: Sendable {
        package var startTime: Timestamp = 0
        package var cwd = ""
        package var reloadConfigSuccess = true
        package var lastConfigTime: Timestamp = 0
        package var corruptionCount = 0
        package var goroutineCount = 0
        package var gomaxprocs = 1
        package var storageRetention = ""
        package init() {}
    }

    package var build = Build()
    package var runtime: @Sendable () -> Runtime = { Runtime() }
    /// Command-line flags with their effective values.
    package var flags: [String: String] = [:]
    /// The loaded configuration as YAML.
    package var configYAML: @Sendable () -> String = { "" }

    package init() {}

    package func buildInfoBody() -> ByteBuffer {
        APIResponse.stringObject([
            ("version", build.version), ("revision", build.revision), ("branch", build.branch),
            ("buildUser", build.buildUser), ("buildDate", build.buildDate), ("goVersion", build.goVersion),
        ])
    }

    package func runtimeInfoBody() -> ByteBuffer {
        let info = runtime()
        return APIResponse.success { json in
            json.raw("{\"startTime\":")
            json.string(RFC3339.format(info.startTime))
            json.raw(",\"CWD\":")
            json.string(info.cwd)
            json.raw(info.reloadConfigSuccess ? ",\"reloadConfigSuccess\":true" : ",\"reloadConfigSuccess\":false")
            json.raw(",\"lastConfigTime\":")
            json.string(RFC3339.format(info.lastConfigTime))
            json.raw(",\"corruptionCount\":\(info.corruptionCount),\"goroutineCount\":\(info.goroutineCount)")
            json.raw(",\"GOMAXPROCS\":\(info.gomaxprocs),\"GOMEMLIMIT\":0,\"GOGC\":\"\",\"GODEBUG\":\"\"")
            json.raw(",\"storageRetention\":")
            json.string(info.storageRetention)
            json.raw("}")
        }
    }

    /// Flags sorted by name, as Go marshals a map.
    package func flagsBody() -> ByteBuffer {
        APIResponse.stringObject(flags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    package func configBody() -> ByteBuffer {
        let yaml = configYAML()
        return APIResponse.success { json in
            json.raw("{\"yaml\":")
            json.string(yaml)
            json.raw("}")
        }
    }
}
