#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style file name matching, as Go's `filepath.Glob` (used for rule files,
/// `scrape_config_files` and file SD).
package enum Glob {
    /// The existing paths that match `pattern` (`*`, `?`, `[…]`), sorted; a pattern without
    /// wildcards yields itself when the file exists. An unreadable folder yields no paths.
    package static func paths(matching pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let cString = result.gl_pathv[index] { paths.append(String(cString: cString)) }
        }
        return paths.sorted()
    }
}
