import ArgumentParser
import Foundation
import TMWSCore

/// The entry point. It runs the parsed command and maps every failure to the documented
/// exit codes: 0 success, 1 bad input, not found or a failed check, 2 usage.
@main
enum TMWSMain {
    static func main() async {
        if let index = firstInvalidArgument() {
            Terminal.printError("argument \(index) is not valid UTF-8")
            exit(ExitStatus.failure)
        }
        if let index = firstDashText(Array(CommandLine.arguments.dropFirst())) {
            // ArgumentParser would read "- use squash merges" as short options (and the `h`
            // in "squash" as --help, printing the help and storing nothing).
            FileHandle.standardError.write(
                Data(
                    """
                    Error: argument \(index + 1) begins with '-' but is not an option: put -- before text that starts with a dash, \
                    after the options (tmws memory add --scope PROJECT -- "- use squash merges")

                    """.utf8))
            exit(ExitStatus.usage)
        }
        let command: any ParsableCommand
        do {
            command = try TMWSCommand.parseAsRoot()
        } catch {
            fail(error)
        }
        do {
            var runnable = command
            if var asyncCommand = runnable as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try runnable.run()
            }
        } catch {
            fail(error)
        }
    }

    /// Prints the error as documented and exits with its code. Usage problems are found
    /// while parsing (in `validate()`), so ArgumentParser's message names the subcommand.
    private static func fail(_ error: any Error) -> Never {
        if let error = error as? TMWSError {
            Terminal.printError(error.message)
            exit(ExitStatus.failure)
        }
        if let code = error as? ExitCode {
            exit(code.rawValue)
        }
        let code = TMWSCommand.exitCode(for: error)
        if code == .success {
            // --help and --version.
            print(TMWSCommand.fullMessage(for: error))
            exit(ExitStatus.success)
        }
        if code == .validationFailure {
            // Usage errors: ArgumentParser's message and the usage line, exit code 2.
            FileHandle.standardError.write(Data((TMWSCommand.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage)
        }
        Terminal.printError(TMWSError.safeMessage(for: error))
        exit(ExitStatus.failure)
    }

    /// The first argument before any `--` that starts with one dash but cannot be an option:
    /// longer than a short option (tmws has no combined short flags) and not a number.
    static func firstDashText(_ arguments: [String]) -> Int? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return nil }
            guard argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 2, Double(argument) == nil else { continue }
            return index
        }
        return nil
    }

    /// ArgumentParser sees arguments after lossy decoding; check the raw bytes first.
    private static func firstInvalidArgument() -> Int? {
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
            if String(validating: bytes, as: UTF8.self) == nil { return index }
        }
        return nil
    }
}

/// The documented exit codes.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// `tmws`: the root command.
struct TMWSCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "tmws",
        abstract: "A persistent memory for AI coding agents.",
        discussion: """
            Memories live in one SQLite database under $TMWS_HOME (default ~/.tmws). \
            Every command accepts --json for machine-readable output.

            Exit codes: 0 success; 1 bad input, not found or a failed check (one line on stderr); 2 usage error.
            """,
        version: "tmws \(version)",
        subcommands: [
            MemoryCommand.self, ServeCommand.self, MCPCommand.self, ClassifyCommand.self, DoctorCommand.self, VersionCommand.self, BenchCommand.self,
            CloudCommand.self, SyncCommand.self, StatusCommand.self, TeamCommand.self, KeysCommand.self, HubCommand.self, ArchiveCommand.self,
            ModelsCommand.self, ReindexCommand.self,
            CacheCommand.self, ClassifierCommand.self, TokensCommand.self, ReviewCommand.self,
        ]
    )
}
