import Foundation
import TMWSCore

/// Scope models on disk: `$TMWS_HOME/models/scope-vN.json` (the model and the metrics it was
/// trained with, versioned, never overwritten) and `scope-live.json` (which one is live and the
/// ones before it, for `rollback`).
package struct ScopeModelFiles: Sendable {
    /// One trained model with its metrics.
    package struct Entry: Sendable, Codable {
        package var model: ScopeModel
        /// The model on the held-out split of its training.
        package var evaluation: ScopeEvaluation
        /// The rules on the same split.
        package var rules: ScopeEvaluation
        package var trainedAt: Date
        package var trainingSeconds: Double

        package init(model: ScopeModel, evaluation: ScopeEvaluation, rules: ScopeEvaluation, trainedAt: Date, trainingSeconds: Double) {
            self.model = model
            self.evaluation = evaluation
            self.rules = rules
            self.trainedAt = trainedAt
            self.trainingSeconds = trainingSeconds
        }

        enum CodingKeys: String, CodingKey {
            case model, evaluation, rules
            case trainedAt = "trained_at"
            case trainingSeconds = "training_seconds"
        }
    }

    struct Registry: Codable {
        var live: Int?
        /// Models live before, the latest last.
        var previous: [Int] = []
    }

    package let directory: String

    package init(home: String) {
        directory = home + "/models"
    }

    private func path(_ version: Int) -> String { directory + "/scope-v\(version).json" }
    private var registryPath: String { directory + "/scope-live.json" }

    /// Every trained version, oldest first.
    package func versions() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("scope-v"), name.hasSuffix(".json") else { return nil }
            return Int(name.dropFirst(7).dropLast(5))
        }.sorted()
    }

    package func load(_ version: Int) throws -> Entry {
        guard let data = FileManager.default.contents(atPath: path(version)) else {
            throw TMWSError(.notFound, "no scope model v\(version) (tmws classifier status lists them)")
        }
        do {
            return try JSONDecoder().decode(Entry.self, from: data)
        } catch {
            throw TMWSError(.storage, "the scope model file \(path(version)) is not readable: train again")
        }
    }

    package func save(_ entry: Entry) throws {
        try prepare()
        guard !FileManager.default.fileExists(atPath: path(entry.model.version)) else {
            throw TMWSError(.invalidInput, "scope model v\(entry.model.version) exists already")
        }
        try CloudEnrollment.writePrivately(try JSONEncoder().encode(entry), to: path(entry.model.version))
    }

    /// The live version, and the ones live before it (latest last).
    package func live() -> (live: Int?, previous: [Int]) {
        guard let data = FileManager.default.contents(atPath: registryPath), let registry = try? JSONDecoder().decode(Registry.self, from: data)
        else { return (nil, []) }
        return (registry.live, registry.previous)
    }

    /// The live model, or `nil` (the rules alone). A live file that cannot be read means the
    /// rules, never a failure to start.
    package func liveModel() -> ScopeModel? {
        guard let version = live().live else { return nil }
        return try? load(version).model
    }

    package func setLive(_ version: Int?, previous: [Int]) throws {
        try prepare()
        try CloudEnrollment.writePrivately(try JSONEncoder().encode(Registry(live: version, previous: previous)), to: registryPath)
    }

    private func prepare() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
