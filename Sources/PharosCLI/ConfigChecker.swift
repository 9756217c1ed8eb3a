import Alerting
import Foundation
import PharosConfig
import PharosCore
import Probes
import Rules
import SLO

/// `pharos check config FILE…`, as `promtool check config`: each file is loaded and validated
/// with the files it references (rule files, file-SD files, credential and TLS files).
///
/// Output per file: `Checking FILE`, then notices as `  WARNING: …`, then either
/// `  SUCCESS: N rule files found` (when there are rule files) and
/// ` SUCCESS: FILE is valid prometheus config file syntax`, or `  FAILED: <one-line error>`
/// on standard error; a blank line ends each file. Exit code 1 when any file failed.
package enum ConfigChecker {
    package static func check(
        files: [String], syntaxOnly: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> CommandOutput {
        var output = CommandOutput()
        for file in files {
            output.out("Checking \(file)")
            do {
                let result = try check(file: file, syntaxOnly: syntaxOnly, environment: environment)
                for warning in result.warnings { output.out("  WARNING: \(warning)") }
                if !result.ruleFiles.isEmpty { output.out("  SUCCESS: \(result.ruleFiles.count) rule files found") }
                output.out(" SUCCESS: \(file) is valid prometheus config file syntax")
            } catch {
                output.err("  FAILED: \(error)")
                output.exitCode = 1
            }
            output.out("")
        }
        return output
    }

    /// What checking one file found besides success.
    package struct Result: Sendable, Equatable {
        /// Rule files the `rule_files` globs matched, in order.
        package var ruleFiles: [String] = []
        /// Notices of the loader and missing file-SD files, one line each.
        package var warnings: [String] = []
    }

    /// Loads `file` and checks what it references; throws the first problem. With
    /// `syntaxOnly`, as promtool's `--syntax-only`, only the file itself is checked.
    package static func check(
        file: String, syntaxOnly: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Result {
        let config = try loadConfig(path: file, environment: environment)
        var result = Result()
        result.warnings = config.notices.map(\.description)
        if syntaxOnly { return result }
        for pattern in config.ruleFiles {
            let matches = Glob.paths(matching: pattern)
            if !hasWildcard(pattern), matches.isEmpty {
                throw ConfigError(.io, file: file, keyPath: "rule_files",
                                  message: "\(goQuote(pattern)) does not point to an existing file")
            }
            result.ruleFiles += matches
        }
        let scrapeConfigs: [ScrapeConfig]
        do {
            scrapeConfigs = try config.resolvedScrapeConfigs()
        } catch {
            var wrapped = error
            wrapped.message = "error loading scrape configs: " + wrapped.message
            throw wrapped
        }
        for job in scrapeConfigs {
            let keyPath = "scrape_configs[\(goQuote(job.jobName))]"
            try checkFiles(of: job.httpClient, file: file, keyPath: keyPath)
            for sd in job.fileSDConfigs {
                try checkFileSD(sd, result: &result, missing: "in scrape job \(goQuote(job.jobName))")
            }
            for (index, sd) in job.serviceDiscovery.kubernetesSDConfigs.enumerated() {
                try checkTLSFiles(sd.httpClient.tlsConfig, file: file, keyPath: keyPath + ".kubernetes_sd_configs[\(index)]")
            }
        }
        for (index, alertmanagers) in config.alerting.alertmanagers.enumerated() {
            try checkFiles(of: alertmanagers.httpClient, file: file, keyPath: "alerting.alertmanagers[\(index)]")
            for sd in alertmanagers.serviceDiscovery.fileSDConfigs {
                try checkFileSD(sd, result: &result, missing: "in alertmanager config")
            }
        }
        // Pharos' `alertmanager:` section (inline or config_file), validated as amtool would.
        let alertmanager = try AlertmanagerConfig.from(config)
        if let alertmanager { result.warnings += alertmanager.notices.map(\.description) }
        // `escalations:` and `silence_notices:` name receivers of that config.
        _ = try AlertPolicies.from(config, alertmanager: alertmanager)
        // `probes:` (modules, blackbox.yml, checks) and `health:`'s readiness checks.
        let probes = try ProbesConfig.decode(config)
        _ = try HealthConfig.readinessChecks(in: config, checks: Set(probes.checks.map(\.name)))
        // `slos:`: each SLO and the rules generated for it.
        let slos = try SLOSpec.all(in: config)
        do {
            _ = try RuleFileParser().parse(SLORules.ruleFile(for: slos), file: SLORules.file)
        } catch {
            throw ConfigError(.invalidValue, file: config.file, keyPath: "slos", message: "the generated SLO rules do not load: \(error)")
        }
        return result
    }

    /// Reads every file the globs match (a broken one throws); a glob matching nothing is a
    /// warning `file "…" for file_sd <missing> does not exist`.
    static func checkFileSD(_ sd: FileSDConfig, result: inout Result, missing: String) throws(ConfigError) {
        for pattern in sd.files {
            let matches = Glob.paths(matching: pattern)
            if matches.isEmpty {
                result.warnings.append("file \(goQuote(pattern)) for file_sd \(missing) does not exist")
                continue
            }
            for path in matches {
                do {
                    _ = try FileSD.read(path)
                } catch {
                    var wrapped = error
                    wrapped.message = "checking SD file \(goQuote(pattern)): " + wrapped.message
                    throw wrapped
                }
            }
        }
    }

    /// The existence checks promtool makes on a job's HTTP client settings.
    static func checkFiles(of client: HTTPClientConfig, file: String, keyPath: String) throws(ConfigError) {
        if let credentials = client.authorization?.credentialsFile, !credentials.isEmpty, !exists(credentials) {
            throw ConfigError(.io, file: file, keyPath: keyPath + ".authorization.credentials_file",
                              message: "error checking authorization credentials or bearer token file \(goQuote(credentials)): no such file or directory")
        }
        if let password = client.basicAuth?.passwordFile, !password.isEmpty, !exists(password) {
            throw ConfigError(.io, file: file, keyPath: keyPath + ".basic_auth.password_file",
                              message: "error checking basic auth password file \(goQuote(password)): no such file or directory")
        }
        try checkTLSFiles(client.tlsConfig, file: file, keyPath: keyPath)
    }

    /// promtool's `checkTLSConfig`: a client cert needs its key (and the reverse), and every
    /// named file must exist.
    static func checkTLSFiles(_ tls: HTTPClientConfig.TLSConfig, file: String, keyPath: String) throws(ConfigError) {
        let cert = tls.certFile ?? "", key = tls.keyFile ?? ""
        if !cert.isEmpty, key.isEmpty, tls.key == nil {
            throw ConfigError(.invalidConfig, file: file, keyPath: keyPath + ".tls_config",
                              message: "client cert file \(goQuote(cert)) specified without client key file")
        }
        if !key.isEmpty, cert.isEmpty, tls.cert == nil {
            throw ConfigError(.invalidConfig, file: file, keyPath: keyPath + ".tls_config",
                              message: "client key file \(goQuote(key)) specified without client cert file")
        }
        for (name, path) in [("cert_file", cert), ("key_file", key), ("ca_file", tls.caFile ?? "")] where !path.isEmpty && !exists(path) {
            let what = name == "ca_file" ? "CA file" : name == "cert_file" ? "client cert file" : "client key file"
            throw ConfigError(.io, file: file, keyPath: keyPath + ".tls_config." + name,
                              message: "error checking \(what) \(goQuote(path)): no such file or directory")
        }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func hasWildcard(_ pattern: String) -> Bool { pattern.contains { "*?[".contains($0) } }
}
