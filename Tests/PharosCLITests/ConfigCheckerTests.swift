import Foundation
import PharosCLI
import PharosTestSupport
import Testing

@Suite(.timeLimit(.minutes(5))) struct ConfigCheckerTests {
    static let goodConfig = """
        global:
          scrape_interval: 15s
        rule_files:
          - rules.yml
        scrape_configs:
          - job_name: api
            static_configs:
              - targets: ['localhost:9090']
            file_sd_configs:
              - files: ['targets/*.json', 'missing.yml']
            authorization:
              credentials_file: token

        """

    /// Writes `files` (relative name → content) into a fresh folder and runs `body` on it.
    func withFiles<R>(_ files: [String: String], _ body: (String) throws -> R) throws -> R {
        let directory = try TemporaryDirectory(prefix: "pharos-cli-config")
        defer { directory.remove() }
        for (name, text) in files {
            let path = directory.path + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return try body(directory.path)
    }

    static let goodFiles = [
        "prometheus.yml": goodConfig,
        "rules.yml": "groups: []\n",
        "token": "secret\n",
        "targets/a.json": #"[{"targets": ["10.0.0.1:9100"], "labels": {"env": "prod"}}]"#,
    ]

    @Test func validConfigPrintsPromtoolsSuccessLines() throws {
        try withFiles(Self.goodFiles) { dir in
            let file = dir + "/prometheus.yml"
            let output = ConfigChecker.check(files: [file])
            #expect(output.standardOutput == """
                Checking \(file)
                  WARNING: file "\(dir)/missing.yml" for file_sd in scrape job "api" does not exist
                  SUCCESS: 1 rule files found
                 SUCCESS: \(file) is valid prometheus config file syntax


                """)
            #expect(output.standardError == "")
            #expect(output.exitCode == 0)
        }
    }

    @Test func missingCredentialsFileFails() throws {
        var files = Self.goodFiles
        files["token"] = nil
        try withFiles(files) { dir in
            let file = dir + "/prometheus.yml"
            let output = ConfigChecker.check(files: [file])
            #expect(output.standardError == """
                  FAILED: \(file): scrape_configs["api"].authorization.credentials_file: error checking authorization credentials or bearer token file "\(dir)/token": no such file or directory

                """)
            #expect(output.standardOutput == "Checking \(file)\n\n")
            #expect(output.exitCode == 1)
        }
    }

    @Test func syntaxOnlySkipsReferencedFiles() throws {
        try withFiles(["prometheus.yml": Self.goodConfig]) { dir in
            let file = dir + "/prometheus.yml"
            #expect(ConfigChecker.check(files: [file]).exitCode == 1)
            let output = ConfigChecker.check(files: [file], syntaxOnly: true)
            #expect(output.standardOutput == "Checking \(file)\n SUCCESS: \(file) is valid prometheus config file syntax\n\n")
            #expect(output.exitCode == 0)
        }
        try withFiles(["prometheus.yml": "global:\n  scrape_interval: [\n"]) { dir in
            #expect(ConfigChecker.check(files: [dir + "/prometheus.yml"], syntaxOnly: true).exitCode == 1)
        }
    }

    @Test func missingExplicitRuleFileFailsButEmptyGlobIsFine() throws {
        var files = Self.goodFiles
        files["rules.yml"] = nil
        try withFiles(files) { dir in
            let file = dir + "/prometheus.yml"
            let output = ConfigChecker.check(files: [file])
            #expect(output.standardError == "  FAILED: \(file): rule_files: \"\(dir)/rules.yml\" does not point to an existing file\n")
            #expect(output.exitCode == 1)
        }
        files["prometheus.yml"] = Self.goodConfig.replacingOccurrences(of: "- rules.yml", with: "- 'rules/*.yml'")
        try withFiles(files) { dir in
            let output = ConfigChecker.check(files: [dir + "/prometheus.yml"])
            #expect(output.exitCode == 0)
            #expect(!output.standardOutput.contains("rule files found"))
        }
    }

    @Test(arguments: [
        #"[{"targets": ["10.0.0.1:9100"], "labels": {"#,   // truncated
        #"{"targets": "not a list"}"#,                       // wrong shape
        "[{\"targets\": [\"a\u{0}\"]]",                       // corrupted bytes
    ])
    func brokenFileSDFileFails(content: String) throws {
        var files = Self.goodFiles
        files["targets/a.json"] = content
        try withFiles(files) { dir in
            let output = ConfigChecker.check(files: [dir + "/prometheus.yml"])
            #expect(output.exitCode == 1)
            #expect(output.standardError.hasPrefix("  FAILED: \(dir)/targets/a.json"))
            #expect(output.standardError.contains("checking SD file \"\(dir)/targets/*.json\": "))
            #expect(output.standardError.filter { $0 == "\n" }.count == 1)
        }
    }

    @Test(arguments: [
        ("scrape_configs:\n  - job_name: [", "prometheus.yml:"),                                     // truncated YAML
        ("global:\n  scrape_interval: 5x\n", "global.scrape_interval"),                             // bad value
        ("scrape_configs:\n  - job_name: a\n  - job_name: a\n", "scrape_configs"),                  // duplicate job
        ("global:\n  \u{1}bogus: 1\n", "prometheus.yml"),                                           // corrupted key
    ])
    func invalidConfigFailsWithOneLineError(text: String, mention: String) throws {
        try withFiles(["prometheus.yml": text]) { dir in
            let file = dir + "/prometheus.yml"
            let output = ConfigChecker.check(files: [file])
            #expect(output.exitCode == 1)
            #expect(output.standardOutput == "Checking \(file)\n\n")
            #expect(output.standardError.hasPrefix("  FAILED: \(file)"))
            #expect(output.standardError.contains(mention))
            #expect(output.standardError.filter { $0 == "\n" }.count == 1)
        }
    }

    @Test func noticesArePrintedAsWarningsAndEveryFileIsChecked() throws {
        let files = [
            "a.yml": "global:\n  query_log_file: q.log\n",
            "b.yml": "scrape_configs: 3\n",
        ]
        try withFiles(files) { dir in
            let output = ConfigChecker.check(files: [dir + "/a.yml", dir + "/missing.yml", dir + "/b.yml"])
            #expect(output.exitCode == 1)
            let lines = output.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "Checking \(dir)/a.yml")
            #expect(lines[1].hasPrefix("  WARNING: \(dir)/a.yml:2:"))
            #expect(lines[1].contains("global.query_log_file: accepted and ignored"))
            #expect(lines[2] == " SUCCESS: \(dir)/a.yml is valid prometheus config file syntax")
            #expect(output.standardOutput.contains("Checking \(dir)/missing.yml\n\nChecking \(dir)/b.yml\n\n"))
            #expect(output.standardError.split(separator: "\n").count == 2)
        }
    }

    @Test func alertmanagerFileSDIsCheckedToo() throws {
        let alerting = "alerting:\n  alertmanagers:\n    - file_sd_configs:\n        - files: ['am/*.yml', 'am-missing.json']\n"
        var files = Self.goodFiles
        files["prometheus.yml"] = Self.goodConfig + alerting
        files["am/a.yml"] = "- targets: ['am:9093']\n"
        try withFiles(files) { dir in
            let output = ConfigChecker.check(files: [dir + "/prometheus.yml"])
            #expect(output.exitCode == 0)
            #expect(output.standardOutput.contains("  WARNING: file \"\(dir)/am-missing.json\" for file_sd in alertmanager config does not exist\n"))
        }
        files["am/a.yml"] = "- targets: ['am:9093'\n"   // truncated
        try withFiles(files) { dir in
            let output = ConfigChecker.check(files: [dir + "/prometheus.yml"])
            #expect(output.exitCode == 1)
            #expect(output.standardError.hasPrefix("  FAILED: \(dir)/am/a.yml"))
            #expect(output.standardError.contains("checking SD file \"\(dir)/am/*.yml\": "))
        }
    }

    @Test func missingTLSKeyFileFails() throws {
        var files = Self.goodFiles
        files["prometheus.yml"] = Self.goodConfig + "    tls_config:\n      cert_file: token\n      key_file: client.key\n"
        try withFiles(files) { dir in
            let file = dir + "/prometheus.yml"
            let output = ConfigChecker.check(files: [file])
            #expect(output.exitCode == 1)
            #expect(output.standardError == """
                  FAILED: \(file): scrape_configs["api"].tls_config.key_file: error checking client key file "\(dir)/client.key": no such file or directory

                """)
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct CommandOutputTests {
    @Test func keepsTheOrderOfBothStreams() {
        var output = ConfigChecker.check(files: ["/nonexistent/prometheus.yml"])
        #expect(output.chunks.map(\.stream) == [.standardOutput, .standardError, .standardOutput])
        #expect(output.chunks.first?.text == "Checking /nonexistent/prometheus.yml\n")
        #expect(output.standardError.hasPrefix("  FAILED: /nonexistent/prometheus.yml: cannot read config file"))
        output.exitCode = 0
        #expect(output != ConfigChecker.check(files: ["/nonexistent/prometheus.yml"]))
    }
}
