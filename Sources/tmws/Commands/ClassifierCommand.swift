import ArgumentParser
import Foundation
import TMWSCore

/// `tmws classifier`: the scope suggestion's learning loop (roadmap 6.3).
struct ClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier",
        abstract: "The examples the scope suggestion learns from: the scopes people chose.",
        discussion: """
            Every scope a person chose explicitly on add or import (against the suggestion: a correction; agreeing \
            with it: a confirmation) and every later scope change by update is kept on this node as an example: the \
            scope, the classifier's suggestion and the text's hashed word and character features, never the text. \
            Memories the sensitive-data detector flags are never examples (the detector decides those), nor PRIVATE \
            ones unless classifier.learn_private = true. Nothing of them leaves this machine.
            """,
        subcommands: [Examples.self]
    )

    struct Examples: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the examples by scope and source; --remove or --clear drops them.")
        @Option(parsing: .upToNextOption, help: ArgumentHelp("Remove these examples (their keys, from --list).", valueName: "key"))
        var remove: [Int64] = []
        @Flag(help: "Remove every example.") var clear = false
        @Flag(help: "List each example (key, time, scope, suggestion, source, memory id; never text).") var list = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if clear && !remove.isEmpty { throw ValidationError("--clear removes every example; give no --remove with it") }
        }

        func run() async throws {
            let store = try await AppContext(options: global).openStore()
            if clear || !remove.isEmpty {
                let removed = try await store.removeScopeExamples(clear ? nil : remove)
                if global.json { return try Terminal.printJSON(["removed": removed]) }
                return print("removed \(removed) examples")
            }
            let counts = try await store.scopeExampleCounts()
            let listed = list ? try await store.scopeExamples() : []
            if global.json { return try Terminal.printJSON(Report(counts: counts, listed: listed)) }
            print("\(counts.reduce(0) { $0 + $1.count }) examples")
            var table = TextTable("SCOPE", "SOURCE", "COUNT")
            for count in counts { table.append([count.label.rawValue, count.source.rawValue, String(count.count)]) }
            if !counts.isEmpty { print(table.render()) }
            if list {
                var rows = TextTable("KEY", "RECORDED", "SCOPE", "SUGGESTED", "SOURCE", "MEMORY")
                for (key, at, example) in listed {
                    rows.append([
                        String(key), ISO8601.string(from: at), example.label.rawValue, example.suggested.rawValue, example.source.rawValue,
                        example.memoryID?.description ?? "-",
                    ])
                }
                print(rows.render())
            }
        }
    }

    struct Report: Encodable {
        struct Count: Encodable {
            var scope: String
            var source: String
            var count: Int
        }

        struct Entry: Encodable {
            var key: Int64
            var recordedAt: String
            var scope: String
            var suggested: String
            var source: String
            var memoryID: String?

            enum CodingKeys: String, CodingKey {
                case key, scope, suggested, source
                case recordedAt = "recorded_at"
                case memoryID = "memory_id"
            }
        }

        var total: Int
        var counts: [Count]
        var examples: [Entry]?

        init(counts: [ScopeExampleCount], listed: [(key: Int64, recordedAt: Date, example: ScopeExample)]) {
            total = counts.reduce(0) { $0 + $1.count }
            self.counts = counts.map { Count(scope: $0.label.rawValue, source: $0.source.rawValue, count: $0.count) }
            examples =
                listed.isEmpty
                ? nil
                : listed.map {
                    Entry(
                        key: $0.key, recordedAt: ISO8601.string(from: $0.recordedAt), scope: $0.example.label.rawValue,
                        suggested: $0.example.suggested.rawValue, source: $0.example.source.rawValue, memoryID: $0.example.memoryID?.description)
                }
        }
    }
}
