import Foundation

/// Runs the built `tmws` binary as a separate process, the way users and agents do.
package struct CLIRunner: Sendable {
    /// What a run printed and how it ended.
    package struct Result: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String

        /// Stdout parsed as one JSON object.
        package func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CLIError("stdout is not a JSON object: \(stdout.prefix(200))")
            }
            return object
        }
    }

    package struct CLIError: Error, CustomStringConvertible {
        package var description: String
        package init(_ description: String) { self.description = description }
    }

    /// The `TMWS_HOME` every run gets.
    package let home: String
    /// Extra environment variables.
    package var environment: [String: String]
    /// The working directory of runs (default: the home, which is outside any git repository).
    package var workingDirectory: String?

    package init(home: String, environment: [String: String] = [:], workingDirectory: String? = nil) {
        self.home = home
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The binary: `TMWS_BINARY`, else `tmws` next to the test bundle in `.build/<config>/`.
    package static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["TMWS_BINARY"] { return path }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The test runner is .build/<config>/tmwsPackageTests.xctest (a file on Linux, a bundle on Darwin).
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("tmws").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return ".build/debug/tmws"
    }

    /// A process for the binary with this runner's home, environment (the caller's, without
    /// any `TMWS_*` variable) and working directory.
    private func makeProcess(_ arguments: [String], extraEnvironment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TMWS_") }
        env["TMWS_HOME"] = home
        env.merge(environment) { $1 }
        env.merge(extraEnvironment) { $1 }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory ?? home)
        return process
    }

    /// Runs `tmws` with arguments and optional standard input bytes.
    package func run(_ arguments: [String], stdin: Data? = nil, extraEnvironment: [String: String] = [:]) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        let inURL = scratch.appendingPathComponent("in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())

        let process = makeProcess(arguments, extraEnvironment: extraEnvironment)
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        try output.close()
        try errors.close()
        try input.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }

    /// Starts `tmws` without waiting, for concurrency tests; `waitUntilExit()` the returned
    /// process. Its stderr goes to `stderrPath` when given.
    package func start(_ arguments: [String], stderrPath: String? = nil) throws -> Process {
        let process = makeProcess(arguments)
        process.standardOutput = FileHandle.nullDevice
        if let stderrPath {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }
}
