import ArgumentParser
import Foundation
import TMWSCore

/// `tmws tokens`: the token estimate that `max_tokens` fits answers with.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Estimate how many tokens a text costs a language model, as max_tokens does.",
        discussion: """
            Reads the text from standard input and prints its estimated tokens. The estimate needs no \
            model's vocabulary: it counts words, digits, punctuation and Japanese, Chinese and Korean \
            characters at fixed rates (see the README), and agrees with OpenAI's cl100k_base within \
            10 % over English and Japanese notes, documentation and code.

            --jsonl reads one JSON string per line and prints one count per line.
            """
    )

    @Flag(help: "Read one JSON string per line; print one count per line.")
    var jsonl = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard jsonl else {
            let count = TokenEstimate.count(String(decoding: input, as: UTF8.self))
            return global.json ? try Terminal.printJSON(["tokens": count]) : print(count)
        }
        var counts: [String] = []
        for (number, line) in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let text = try? JSONDecoder().decode(String.self, from: Data(line)) else {
                throw TMWSError(.invalidInput, "line \(number + 1) is not a JSON string", field: "input")
            }
            counts.append(String(TokenEstimate.count(text)))
        }
        print(counts.joined(separator: "\n"))
    }
}
