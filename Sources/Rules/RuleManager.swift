import Logging
import PharosConfig
import PharosCore

/// Loads rule files into groups and runs them (Prometheus' `rules.Manager`).
///
/// `update` validates every file first and, only when all are valid, swaps the groups in:
/// an unchanged group keeps running untouched, a changed one takes over the state of its
/// predecessor (`copyState`), a removed one stops and its series are marked stale two intervals
/// later. `run()` evaluates the groups until cancelled; groups loaded before it starts begin
/// with it. The first load after start restores `for` state from `ALERTS_FOR_STATE`.
package actor RuleManager {
    package let options: RuleGroupOptions
    private let parser: RuleFileParser
    private var groups: [String: RuleGroup] = [:]
    private var loadedOnce = false
    private let commands: AsyncStream<Command>
    private let continuation: AsyncStream<Command>.Continuation

    enum Command: Sendable {
        case start(RuleGroup)
        case retire(RuleGroup, stoppedAt: Timestamp)
    }

    package init(options: RuleGroupOptions, parser: RuleFileParser = RuleFileParser()) {
        self.options = options
        var parser = parser
        if parser.templates == nil { parser.templates = options.templates }
        self.parser = parser
        (commands, continuation) = AsyncStream.makeStream(of: Command.self)
    }

    /// The groups, sorted by file then name, as the API lists them.
    package var ruleGroups: [RuleGroup] {
        groups.values.sorted { ($0.file, $0.name) < ($1.file, $1.name) }
    }

    /// The rule files `config.ruleFiles` (globs) matches, in order, then `generated` rule files
    /// (name and text: the SLO rules); loads them with the global evaluation interval and query offset.
    package func apply(_ config: PharosConfig, generated: [(file: String, text: String)] = []) async throws(RuleFileErrors) {
        var files: [String] = []
        for pattern in config.ruleFiles { files += Glob.paths(matching: pattern) }
        try await update(files: files, generated: generated, interval: config.global.evaluationInterval.milliseconds,
                   queryOffset: config.global.ruleQueryOffset.milliseconds, externalLabels: config.global.externalLabels)
    }

    /// Replaces the groups with those of `files` and `generated`; throws every file's errors and
    /// keeps the running groups when any file is invalid.
    package func update(files: [String], generated: [(file: String, text: String)] = [], interval: Int64, queryOffset: Int64,
                        externalLabels: Labels? = nil) async throws(RuleFileErrors) {
        var errors: [RuleError] = []
        var parsed: [RuleFile] = []
        for file in files {
            do {
                parsed.append(try parser.load(path: file))
            } catch {
                errors += error.errors
            }
        }
        for (file, text) in generated {
            do {
                parsed.append(try parser.parse(text, file: file))
            } catch {
                errors += error.errors
            }
        }
        if !errors.isEmpty {
            for error in errors { options.logger.error("Loading groups failed", metadata: ["rules.error": "\(error)"]) }
            throw RuleFileErrors(errors)
        }
        let shouldRestore = !loadedOnce
        var groupOptions = options
        if let externalLabels { groupOptions.externalLabels = externalLabels }
        var fresh: [String: RuleGroup] = [:]
        var order: [String] = []
        for file in parsed {
            for spec in file.groups {
                let group: RuleGroup
                do {
                    group = try RuleGroup(spec: spec, file: file.file, defaultInterval: interval, defaultQueryOffset: queryOffset,
                                          options: groupOptions, shouldRestore: shouldRestore)
                } catch {
                    throw RuleFileErrors([error])
                }
                if fresh[group.key] == nil { order.append(group.key) }
                fresh[group.key] = group
            }
        }
        loadedOnce = true
        var next: [String: RuleGroup] = [:]
        var old = groups
        for key in order {
            guard let group = fresh[key] else { continue }
            if let previous = old.removeValue(forKey: key) {
                if previous.hasSameDefinition(as: group) {
                    next[key] = previous
                    continue
                }
                await previous.stopAndWait()
                group.copyState(from: previous)
            }
            next[key] = group
            continuation.yield(.start(group))
        }
        for group in old.values {
            await group.stopAndWait()
            continuation.yield(.retire(group, stoppedAt: options.now()))
        }
        groups = next
    }

    /// Evaluates the groups until cancelled (graceful shutdown cancels it).
    package func run() async {
        let commands = self.commands
        await withDiscardingTaskGroup { tasks in
            for await command in commands {
                switch command {
                case .start(let group):
                    tasks.addTask { await group.run() }
                case .retire(let group, let stoppedAt):
                    tasks.addTask {
                        // Two intervals give a renamed rule the chance to take over its series.
                        try? await Task.sleep(for: .milliseconds(2 * group.interval))
                        guard !Task.isCancelled else { return }
                        await group.writeStale(group.takeAllSeries(), at: stoppedAt - group.queryOffset)
                    }
                }
            }
            tasks.cancelAll()
        }
    }

    /// Ends `run()`'s command stream (tests; the service is cancelled instead).
    package func finish() { continuation.finish() }
}
