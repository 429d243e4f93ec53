import Foundation
import TMWSTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The files TMWS writes hold memories in clear: only their owner may read them, and an
/// export never writes through a link, a FIFO or a device.
@Suite struct CLIFileSafetyTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    @Test func databaseFilesAreOwnerOnlyWhateverTheUmask() throws {
        // An existing TMWS_HOME, mode 0755, as a user with the usual umask makes it.
        let home = TemporaryDirectory()
        chmod(home.path, 0o755)
        let cli = CLIRunner(home: home.path)
        #expect(try cli.run(["memory", "add", "a note"]).status == 0)
        for name in ["tmws.db", "tmws.db-wal", "tmws.db-shm"] {
            if let mode = Self.mode(home.file(name)) { #expect(mode == 0o600, "\(name): \(String(mode, radix: 8))") }
        }
        #expect(Self.mode(home.file("tmws.db")) == 0o600)

        // Files left readable by an older version are narrowed, and doctor says so.
        chmod(home.file("tmws.db"), 0o644)
        let doctor = try cli.run(["doctor", "--json"])
        #expect(doctor.status == 0)
        let warnings = try #require(try doctor.json()["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("tmws.db (mode 644)") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix(home.path + " (mode") }, "the 0755 home: \(warnings)")
        #expect(Self.mode(home.file("tmws.db")) == 0o600)
    }

    @Test func exportRefusesTargetsThatAreNotRegularFiles() throws {
        let home = TemporaryDirectory()
        let cli = CLIRunner(home: home.path)
        _ = try cli.run(["memory", "add", "exported note", "--scope", "GLOBAL"])

        let victim = home.file("victim.txt")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        let link = home.file("link.jsonl")
        #expect(symlink(victim, link) == 0)
        let fifo = home.file("fifo.jsonl")
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = home.file("folder.jsonl")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)

        for target in [link, fifo, folder, "/dev/null"] {
            let result = try cli.run(["memory", "export", "-o", target])
            #expect(result.status == 1, "\(target)")
            #expect(result.stderr.contains("is not a regular file"), "\(target): \(result.stderr)")
        }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        var info = stat()
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)

        // A regular file is replaced, owner-only; '-' is standard output.
        let file = home.file("backup.jsonl")
        try Data("old".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o644)
        #expect(try cli.run(["memory", "export", "-o", file]).status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("exported note"))
        #expect(Self.mode(file) == 0o600)
        let stdout = try cli.run(["memory", "export", "-o", "-"])
        #expect(stdout.status == 0 && stdout.stdout.contains("exported note"))
        // No temporary file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains("tmws-export") }
        #expect(leftovers == [])
    }
}
