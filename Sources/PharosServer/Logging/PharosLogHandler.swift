import Foundation
import Logging

/// Our LogHandler: one line per event in logfmt or JSON, written whole to a sink (stderr by
/// default). A value, as swift-log requires; the sink must be thread-safe.
package struct PharosLogHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: LogFormat
    private let sink: @Sendable (String) -> Void

    package init(label: String, level: Logger.Level, format: LogFormat,
                 sink: @escaping @Sendable (String) -> Void = PharosLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.sink = sink
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { current, _ in current } }
        let fields = LogRecord.fields(event, label: label, metadata: merged, now: Date())
        switch format {
        case .logfmt: sink(LogRecord.logfmt(fields) + "\n")
        case .json: sink(LogRecord.json(fields) + "\n")
        }
    }

    /// Writes to stderr in one `write(2)` so lines from different tasks do not interleave.
    package static let standardError: @Sendable (String) -> Void = { line in
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

extension Logger.Level {
    /// Parses `--log.level`: debug, info, warn, error.
    package init?(flag: String) {
        switch flag {
        case "debug": self = .debug
        case "info": self = .info
        case "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }
}
