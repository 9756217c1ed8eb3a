/// The block folders of a data directory.
package enum BlockDirectory {
    /// Names of the complete block folders in `path` (valid ULID names; `.tmp` leftovers and
    /// other entries excluded), ascending.
    package static func blockNames(in path: String) throws(TSDBError) -> [String] {
        guard PosixFile.isDirectory(path) else { return [] }
        let names = try BlockFiles.run { () throws(TSDBError) in try PosixFile.list(path) }
        return names.filter { ULID($0) != nil && PosixFile.isDirectory(path + "/" + $0) }.sorted()
    }

    /// Opens every block in `path`, sorted by minTime.
    package static func openAll(in path: String) throws(TSDBError) -> [PersistedBlock] {
        var blocks: [PersistedBlock] = []
        for name in try blockNames(in: path) { blocks.append(try PersistedBlock(directory: path + "/" + name)) }
        return blocks.sorted { $0.meta.minTime != $1.meta.minTime ? $0.meta.minTime < $1.meta.minTime : $0.ulid < $1.ulid }
    }

    /// Removes leftover `<ulid>.tmp` folders from interrupted writes or compactions.
    package static func removeTemporaryFolders(in path: String) throws(TSDBError) {
        guard PosixFile.isDirectory(path) else { return }
        let names = try BlockFiles.run { () throws(TSDBError) in try PosixFile.list(path) }
        for name in names where name.hasSuffix(".tmp") && ULID(String(name.dropLast(4))) != nil {
            try BlockFiles.run { () throws(TSDBError) in try PosixFile.removeTree(path + "/" + name) }
        }
    }

    /// Deletes block `ulid` (its folder) from `path`.
    package static func delete(_ ulid: String, in path: String) throws(TSDBError) {
        guard ULID(ulid) != nil else {
            throw TSDBError(.invalidOptions, "\"\(ulid)\" is not a block ULID", location: path)
        }
        try BlockFiles.run { () throws(TSDBError) in
            try PosixFile.removeTree(path + "/" + ulid)
            try PosixFile.syncDirectory(path)
        }
    }
}
