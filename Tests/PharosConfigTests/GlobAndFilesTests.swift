import Foundation
import PharosConfig
import PharosCore
import PharosTestSupport
import Testing

@Test func globMatchesSorted() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    for name in ["b.yml", "a.yml", "c.json", "d.txt"] {
        try "[]".write(toFile: directory.path + "/" + name, atomically: true, encoding: .utf8)
    }
    #expect(Glob.paths(matching: directory.path + "/*.yml") == [directory.path + "/a.yml", directory.path + "/b.yml"])
    #expect(Glob.paths(matching: directory.path + "/c.json") == [directory.path + "/c.json"])
    #expect(Glob.paths(matching: directory.path + "/missing.json").isEmpty)
    #expect(Glob.paths(matching: directory.path + "/[ab].*").count == 2)
}

@Test func fileSDConfigReadsAllMatches() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try "[{\"targets\": [\"a:1\"]}]".write(toFile: directory.path + "/1.json", atomically: true, encoding: .utf8)
    try "- targets: [b:2]\n".write(toFile: directory.path + "/2.yml", atomically: true, encoding: .utf8)
    let groups = try FileSD.read(FileSDConfig(files: [directory.path + "/*.json", directory.path + "/*.yml"]))
    #expect(groups.flatMap(\.addresses) == ["a:1", "b:2"])
}

@Test func scrapeConfigFilesAreLoaded() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try FileManager.default.createDirectory(atPath: directory.path + "/jobs", withIntermediateDirectories: true)
    try """
        scrape_configs:
          - job_name: extra
            basic_auth: {username: u, password_file: pw}
        """.write(toFile: directory.path + "/jobs/extra.yml", atomically: true, encoding: .utf8)
    let main = directory.path + "/prometheus.yml"
    try """
        global: {scrape_interval: 20s}
        scrape_config_files: [jobs/*.yml]
        scrape_configs: [{job_name: main}]
        """.write(toFile: main, atomically: true, encoding: .utf8)
    let config = try loadConfig(path: main)
    let all = try config.resolvedScrapeConfigs()
    #expect(all.map(\.jobName) == ["main", "extra"])
    #expect(all[1].scrapeInterval == PrometheusDuration(milliseconds: 20_000))
    #expect(all[1].httpClient.basicAuth?.passwordFile == directory.path + "/jobs/pw")

    try "scrape_configs: [{job_name: main}]\n".write(toFile: directory.path + "/jobs/dup.yml", atomically: true, encoding: .utf8)
    #expect {
        _ = try config.resolvedScrapeConfigs()
    } throws: { error in
        (error as? ConfigError)?.description
            == "\(directory.path)/jobs/dup.yml:1:29: scrape_configs[0].job_name: found multiple scrape configs with job name \"main\", first found in main config file"
    }
}
