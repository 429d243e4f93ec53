import Foundation
import TMWSCore

/// Writing to the terminal: results to stdout, errors and progress to stderr.
enum Terminal {
    /// `tmws: error: …` on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("tmws: error: \(message)\n".utf8))
    }

    /// A note on stderr (never mixed into results on stdout).
    static func printNote(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    /// Prints a value as one line of JSON (sorted keys) on stdout.
    static func printJSON(_ value: some Encodable) throws {
        let data = try JSONEncoder.tmws().encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// Whether stderr is a terminal (progress bars are drawn only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Whether stdout is a terminal (a person reads it) rather than a pipe or a file (a script does).
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether stdin is a terminal (then no content is waiting on it).
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Reads all of stdin as strict UTF-8.
    ///
    /// - Throws: `invalid_input` when the bytes are not valid UTF-8.
    static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TMWSError(.invalidInput, "standard input is not valid UTF-8", field: "content")
        }
        return text
    }
}
