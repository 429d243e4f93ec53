import Foundation
import TMWSCore
import TMWSHost
import TMWSTestSupport
import Testing

@Suite struct NamespaceDetectorTests {
    func makeRepository(config: String?) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let repo = directory.file("My Repo")
        try FileManager.default.createDirectory(atPath: repo + "/.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repo + "/src/deep", withIntermediateDirectories: true)
        if let config {
            try config.write(toFile: repo + "/.git/config", atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func theOriginRemoteNamesTheProjectFromAnySubdirectory() throws {
        let directory = try makeRepository(
            config: """
                [core]
                \tbare = false
                [remote "upstream"]
                \turl = https://github.com/other/thing.git
                [remote "origin"]
                \turl = git@github.com:Acme/Widget.git
                \tfetch = +refs/heads/*:refs/remotes/origin/*
                """)
        let detected = NamespaceDetector().detect(in: directory.file("My Repo/src/deep"))
        #expect(detected.namespace.rawValue == "github.com-acme-widget")
    }

    @Test func withoutRemotesTheRootNameIsUsed() throws {
        let directory = try makeRepository(config: "[core]\n\tbare = false\n")
        #expect(NamespaceDetector().detect(in: directory.file("My Repo/src")).namespace.rawValue == "my-repo")
    }

    @Test func outsideARepositoryTheDirectoryIsHashed() {
        let directory = TemporaryDirectory()
        let detected = NamespaceDetector().detect(in: directory.path)
        #expect(detected.namespace == Namespace.fromDirectory(path: directory.path))
    }
}
