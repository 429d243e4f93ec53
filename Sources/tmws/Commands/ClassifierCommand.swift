import ArgumentParser
import Foundation
import TMWSCore
import TMWSHost
import TMWSSQLite

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
        subcommands: [Examples.self, Train.self, Eval.self, Status.self, Deploy.self, Rollback.self]
    )

    /// The examples with their held-out split.
    static func examples(_ store: SQLiteMemoryStore) async throws -> (
        all: [(key: Int64, recordedAt: Date, example: ScopeExample)], train: [ScopeExample], test: [ScopeExample]
    ) {
        let all = try await store.scopeExamples()
        let (train, test) = ScopeTraining.split(all.map { ($0.key, $0.example) })
        return (all, train, test)
    }

    static func evaluate(_ model: ScopeModel?, on test: [ScopeExample]) -> ScopeEvaluation {
        ScopeEvaluation.score(test) { ScopeTraining.answer(model, $0) }
    }

    static func show(_ evaluation: ScopeEvaluation, title: String) {
        Swift.print(String(format: "%@: accuracy %.3f on %d held-out examples", title, evaluation.accuracy, evaluation.examples))
        var table = TextTable("SCOPE", "PRECISION", "RECALL", "SUPPORT")
        for label in evaluation.perLabel {
            table.append([label.scope.rawValue, String(format: "%.3f", label.precision), String(format: "%.3f", label.recall), String(label.support)])
        }
        Swift.print(table.render())
        let used = evaluation.labels.indices.filter { index in evaluation.confusion[index].reduce(0, +) > 0 || evaluation.confusion.contains { $0[index] > 0 } }
        var confusion = TextTable(["ACTUAL \\ PREDICTED"] + used.map { evaluation.labels[$0].rawValue })
        for row in used { confusion.append([evaluation.labels[row].rawValue] + used.map { String(evaluation.confusion[row][$0]) }) }
        Swift.print(confusion.render())
    }

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a new model version on the examples (held-out fifth never seen); it is not deployed.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let store = try await context.openStore()
            let (_, train, test) = try await ClassifierCommand.examples(store)
            let labels = Set(train.map(\.label))
            guard train.count >= 20, labels.count >= 2, !test.isEmpty else {
                throw TMWSError(
                    .invalidInput,
                    "not enough examples to train: \(train.count + test.count) recorded, in \(labels.count) scopes (need 25 or more, in at least 2 scopes); they come from scopes people choose (tmws classifier examples)"
                )
            }
            let files = ScopeModelFiles(home: context.configuration.home)
            let started = ContinuousClock.now
            let model = ScopeModel.train(train, version: (files.versions().last ?? 0) + 1)
            let seconds = (ContinuousClock.now - started).seconds
            let entry = ScopeModelFiles.Entry(
                model: model, evaluation: ClassifierCommand.evaluate(model, on: test), rules: ClassifierCommand.evaluate(nil, on: test),
                trainedAt: Date(), trainingSeconds: seconds)
            try files.save(entry)
            if global.json { return try Terminal.printJSON(TrainResult(entry)) }
            Swift.print(
                String(
                    format: "trained scope model v%d on %d examples in %.2f s (%d features)", model.version, model.trainedOn, seconds,
                    model.logLikelihoods.count))
            ClassifierCommand.show(entry.rules, title: "rules")
            ClassifierCommand.show(entry.evaluation, title: "model v\(model.version)")
            Swift.print("not deployed: tmws classifier deploy \(model.version)")
        }
    }

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate the live model (or the rules) on the held-out examples; --since: how often people agreed with it lately.")
        @Option(help: ArgumentHelp("A window such as 30d: the agreement rate of the suggestions people saw in it.", valueName: "Nd"))
        var since: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let store = try await context.openStore()
            let (all, _, test) = try await ClassifierCommand.examples(store)
            let files = ScopeModelFiles(home: context.configuration.home)
            let live = files.liveModel()
            if let since {
                guard since.hasSuffix("d"), let days = Int(since.dropLast()), (1...3650).contains(days) else {
                    throw TMWSError(.invalidInput, "--since takes a number of days such as 30d", field: "since")
                }
                let start = Date().addingTimeInterval(-Double(days) * 86_400)
                let recent = all.filter { $0.recordedAt >= start }.map(\.example)
                let agreed = recent.filter { $0.source == .confirmation }.count
                let rate = recent.isEmpty ? nil : Double(agreed) / Double(recent.count)
                let result = AgreementResult(
                    days: days, examples: recent.count, confirmations: agreed, corrections: recent.count - agreed, agreementRate: rate, live: live?.version)
                if global.json { return try Terminal.printJSON(result) }
                let shown = rate.map { String(format: "%.1f %%", $0 * 100) } ?? "no choices yet"
                return Swift.print(
                    "last \(days) days: \(recent.count) scopes chosen by people, \(agreed) agreed with the suggestion, \(recent.count - agreed) corrected it: agreement \(shown) (live: \(live.map { "model v\($0.version)" } ?? "rules"))"
                )
            }
            let evaluation = ClassifierCommand.evaluate(live, on: test)
            if global.json { return try Terminal.printJSON(EvalResult(live: live?.version, evaluation: evaluation)) }
            ClassifierCommand.show(evaluation, title: live.map { "model v\($0.version) (live)" } ?? "rules (live)")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which model is live, and every trained version with its metrics.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try AppContext(options: global)
            let files = ScopeModelFiles(home: context.configuration.home)
            let (live, previous) = files.live()
            let entries = files.versions().compactMap { try? files.load($0) }
            let examples = try await context.openStore().scopeExampleCounts().reduce(0) { $0 + $1.count }
            if global.json {
                return try Terminal.printJSON(StatusResult(live: live, previous: previous, examples: examples, models: entries.map(TrainResult.init)))
            }
            Swift.print(
                "live: \(live.map { "model v\($0)" } ?? "the rules")\(previous.isEmpty ? "" : " (before it: \(previous.map { "v\($0)" }.joined(separator: ", ")))"); \(examples) examples"
            )
            var table = TextTable("VERSION", "TRAINED", "EXAMPLES", "ACCURACY", "RULES", "FEATURES")
            for entry in entries {
                table.append([
                    "v\(entry.model.version)" + (entry.model.version == live ? " (live)" : ""), ISO8601.string(from: entry.trainedAt),
                    String(entry.model.trainedOn), String(format: "%.3f", entry.evaluation.accuracy), String(format: "%.3f", entry.rules.accuracy),
                    String(entry.model.logLikelihoods.count),
                ])
            }
            if !entries.isEmpty { Swift.print(table.render()) }
        }
    }

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a trained model live, only if its held-out accuracy is above the threshold and not below the live one's.",
            discussion: "Both are evaluated now on the same held-out examples. The threshold is the roadmap's 0.95 unless --threshold says otherwise.")
        @Argument(help: ArgumentHelp("The version (default: the newest).", valueName: "version")) var version: Int?
        @Option(help: ArgumentHelp("The accuracy to exceed (0.5-1).", valueName: "fraction")) var threshold = ScopeTraining.roadmapThreshold
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (0.5...1).contains(threshold) else { throw ValidationError("--threshold must be 0.5-1") }
        }

        func run() async throws {
            let context = try AppContext(options: global)
            let files = ScopeModelFiles(home: context.configuration.home)
            guard let chosen = version ?? files.versions().last else { throw TMWSError(.notFound, "no model trained yet: tmws classifier train") }
            let candidate = try files.load(chosen).model
            let (_, _, test) = try await ClassifierCommand.examples(try await context.openStore())
            let (live, previous) = files.live()
            guard live != chosen else { throw TMWSError(.invalidInput, "model v\(chosen) is live already") }
            let candidateAccuracy = ClassifierCommand.evaluate(candidate, on: test).accuracy
            let liveAccuracy = ClassifierCommand.evaluate(files.liveModel(), on: test).accuracy
            if let refusal = ScopeTraining.refusal(candidate: candidateAccuracy, live: liveAccuracy, threshold: threshold) {
                throw TMWSError(.refused, "model v\(chosen) not deployed: \(refusal)")
            }
            try files.setLive(chosen, previous: previous + (live.map { [$0] } ?? []))
            if global.json { return try Terminal.printJSON(["live": chosen]) }
            Swift.print(
                String(
                    format: "model v%d is live: accuracy %.3f (the one before: %.3f) on %d held-out examples", chosen, candidateAccuracy, liveAccuracy,
                    test.count))
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make the model live before the current one live again (or the rules).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let files = ScopeModelFiles(home: try AppContext(options: global).configuration.home)
            var (live, previous) = files.live()
            guard live != nil else { throw TMWSError(.invalidInput, "no model is live: the rules decide already") }
            live = previous.popLast()
            try files.setLive(live, previous: previous)
            if global.json { return try Terminal.printJSON(RollbackResult(live: live)) }
            Swift.print("live: \(live.map { "model v\($0)" } ?? "the rules")")
        }
    }

    struct TrainResult: Encodable {
        var version: Int
        var trainedOn: Int
        var features: Int
        var trainingSeconds: Double
        var accuracy: Double
        var rulesAccuracy: Double
        var evaluation: ScopeEvaluation

        init(_ entry: ScopeModelFiles.Entry) {
            version = entry.model.version
            trainedOn = entry.model.trainedOn
            features = entry.model.logLikelihoods.count
            trainingSeconds = entry.trainingSeconds
            accuracy = entry.evaluation.accuracy
            rulesAccuracy = entry.rules.accuracy
            evaluation = entry.evaluation
        }

        enum CodingKeys: String, CodingKey {
            case version, features, accuracy, evaluation
            case trainedOn = "trained_on"
            case trainingSeconds = "training_seconds"
            case rulesAccuracy = "rules_accuracy"
        }
    }

    struct EvalResult: Encodable {
        var live: Int?
        var evaluation: ScopeEvaluation
    }

    struct AgreementResult: Encodable {
        var days: Int
        var examples: Int
        var confirmations: Int
        var corrections: Int
        var agreementRate: Double?
        var live: Int?

        enum CodingKeys: String, CodingKey {
            case days, examples, confirmations, corrections, live
            case agreementRate = "agreement_rate"
        }
    }

    struct StatusResult: Encodable {
        /// `null`: the rules.
        var live: Int?
        var previous: [Int]
        var examples: Int
        var models: [TrainResult]

        enum CodingKeys: String, CodingKey { case live, previous, examples, models }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(live, forKey: .live)
            try container.encode(previous, forKey: .previous)
            try container.encode(examples, forKey: .examples)
            try container.encode(models, forKey: .models)
        }
    }

    struct RollbackResult: Encodable {
        /// `null`: the rules.
        var live: Int?

        enum CodingKeys: String, CodingKey { case live }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(live, forKey: .live)
        }
    }

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
