import ArgumentParser
import Foundation
import TMWSBench
import TMWSCore
import TMWSEmbedding
import TMWSSQLite
import TMWSSync

/// `tmws bench retrieval`: recall of lexical, vector and hybrid search on a labelled set.
struct BenchRetrieval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Recall@1/5/10 and hit@10 of each search mode on LoCoMo or the paraphrase set.",
        discussion: """
            --dataset is LoCoMo's locomo10.json (each turn a memory in its conversation's namespace; each question \
            searched within its conversation; recall over its evidence turns, per category) or a folder with \
            pairs.jsonl and distractors.jsonl (Benchmarks/paraphrase: each query has one memory, among every \
            distractor; reported per language). Memories go to a temporary store, are embedded with the built-in \
            model (throughput reported), then each mode is scored. Latency: the query's embedding alone, and \
            the whole search (which includes it).
            """
    )

    @Option(help: ArgumentHelp("locomo10.json, or a folder with pairs.jsonl and distractors.jsonl.", valueName: "path"))
    var dataset: String
    @Option(help: ArgumentHelp("lexical, vector, hybrid or all (default all).", valueName: "mode"))
    var mode = "all"
    @Option(help: ArgumentHelp("The built-in model file (default: the installed one).", valueName: "path"))
    var model: String?
    @Option(help: ArgumentHelp("Score at most this many questions (default all).", valueName: "n"))
    var questions: Int?
    @Option(
        help: ArgumentHelp(
            "Keep the benchmark's store in this file, and reuse it when it already holds the dataset (embedded once).",
            valueName: "path"))
    var store: String?
    @Option(
        help: ArgumentHelp(
            "Add this many synthetic memories, with random vectors, to measure latency at scale (recall stays the dataset's).",
            valueName: "n"))
    var extra = 0
    @Option(help: .hidden) var fusionWeight: Double?
    @Option(help: .hidden) var fusionAgreement: Double?
    @Option(help: .hidden) var fusionCoverage: Double?
    @Option(help: .hidden) var fusionCoveragePower: Double?
    @OptionGroup var global: GlobalOptions

    struct Question {
        var text: String
        var group: String
        var namespace: Namespace?
        var relevant: Set<String>
    }

    struct ModeReport: Encodable {
        var mode: String
        var recallAt1: Double
        var recallAt5: Double
        var recallAt10: Double
        var hitAt10: Double
        var groups: [String: [String: Double]]
        var search: LatencySummary
        var queryEmbedding: LatencySummary?

        enum CodingKeys: String, CodingKey {
            case mode, groups, search
            case recallAt1 = "recall_at_1"
            case recallAt5 = "recall_at_5"
            case recallAt10 = "recall_at_10"
            case hitAt10 = "hit_at_10"
            case queryEmbedding = "query_embedding_ms"
        }
    }

    func run() async throws {
        let modes = mode == "all" ? SearchMode.allCases : [try SearchMode(parsing: mode)]
        let context = try AppContext(options: global)
        let path = model ?? ModelsCommand.installedPath(home: context.configuration.home)
        let embedder = E5Embedder(path: path)
        _ = try await embedder.model()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tmws-bench-retrieval-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = try await SQLiteMemoryStore.open(configuration: .init(path: self.store ?? home + "/bench.sqlite", tenantID: "bench"))
        var service = MemoryService(store: store)
        let (memories, questions) = try load()
        // Each memory carries its label in its metadata; a kept store is loaded once.
        if try await store.statistics().total != memories.count {
            for (text, namespace, name) in memories {
                _ = try await service.add(
                    MemoryService.NewMemory(content: text, scope: .project, namespace: namespace, metadata: ["label": .string(name)]), by: Caller.cli)
            }
        }
        var loop = EmbeddingLoop(embedder: embedder, vectors: store, clock: ContinuousClock())
        loop.batch = 64
        let started = ContinuousClock.now
        var embedded = 0
        while case (let taken, _) = try await loop.step(), taken > 0 { embedded += taken }
        let embedSeconds = (ContinuousClock.now - started).seconds
        try await addSynthetic(to: store, service: service, dataset: memories.count, model: embedder.modelID)
        var semantic = SemanticSearch(embedder: embedder, vectors: store)
        if let fusionWeight { semantic.fusion.partialWeight = fusionWeight }
        if let fusionAgreement { semantic.fusion.agreement = fusionAgreement }
        if let fusionCoverage { semantic.fusion.minimumCoverage = fusionCoverage }
        if let fusionCoveragePower { semantic.fusion.coveragePower = fusionCoveragePower }
        service.semantic = semantic
        let chosen = questions.prefix(self.questions ?? questions.count)
        var reports: [ModeReport] = []
        for mode in modes {
            var totals = [0.0, 0.0, 0.0, 0.0]
            var groups: [String: (count: Double, recall10: Double, hit10: Double)] = [:]
            var searchTimes: [Duration] = []
            var embedTimes: [Duration] = []
            for question in chosen {
                if mode != .lexical {
                    let embedStart = ContinuousClock.now
                    _ = try await embedder.embed([question.text], as: .query)
                    embedTimes.append(ContinuousClock.now - embedStart)
                }
                let request = SearchRequest(query: question.text, filter: MemoryFilter(namespace: question.namespace), limit: 10, mode: mode)
                let searchStart = ContinuousClock.now
                let hits = (try? await service.searchOutcome(request).hits) ?? []
                searchTimes.append(ContinuousClock.now - searchStart)
                let ranked = hits.map { hit -> String in
                    if case .string(let name) = hit.memory.metadata["label"] { return name }
                    return ""
                }
                func recall(_ k: Int) -> Double {
                    Double(Set(ranked.prefix(k)).intersection(question.relevant).count) / Double(max(1, question.relevant.count))
                }
                let hit = Set(ranked.prefix(10)).isDisjoint(with: question.relevant) ? 0.0 : 1.0
                totals[0] += recall(1)
                totals[1] += recall(5)
                totals[2] += recall(10)
                totals[3] += hit
                var group = groups[question.group] ?? (0, 0, 0)
                group.count += 1
                group.recall10 += recall(10)
                group.hit10 += hit
                groups[question.group] = group
            }
            let n = Double(max(1, chosen.count))
            reports.append(
                ModeReport(
                    mode: mode.rawValue, recallAt1: totals[0] / n, recallAt5: totals[1] / n, recallAt10: totals[2] / n, hitAt10: totals[3] / n,
                    groups: groups.mapValues { ["questions": $0.count, "recall_at_10": $0.recall10 / $0.count, "hit_at_10": $0.hit10 / $0.count] },
                    search: LatencySummary(searchTimes), queryEmbedding: embedTimes.isEmpty ? nil : LatencySummary(embedTimes)))
        }
        let rate = Double(embedded) / max(embedSeconds, 0.001)
        if global.json {
            struct Output: Encodable {
                var memories: Int
                var questions: Int
                var embeddingPerSecond: Double
                var modes: [ModeReport]
                enum CodingKeys: String, CodingKey {
                    case memories, questions, modes
                    case embeddingPerSecond = "embedding_per_second"
                }
            }
            return try Terminal.printJSON(Output(memories: memories.count, questions: chosen.count, embeddingPerSecond: rate, modes: reports))
        }
        print(
            "\(memories.count) memories (\(embedded) embedded now in \(String(format: "%.1f", embedSeconds)) s: "
                + "\(String(format: "%.1f", rate))/s); \(chosen.count) questions")
        for report in reports {
            print(
                "\(report.mode): recall@1 \(String(format: "%.3f", report.recallAt1)) @5 \(String(format: "%.3f", report.recallAt5)) "
                    + "@10 \(String(format: "%.3f", report.recallAt10)) hit@10 \(String(format: "%.3f", report.hitAt10)); "
                    + "search p50 \(String(format: "%.1f", report.search.p50)) ms p95 \(String(format: "%.1f", report.search.p95)) ms"
                    + (report.queryEmbedding.map { " (query embedding p50 \(String(format: "%.1f", $0.p50)) ms)" } ?? ""))
            for (name, group) in report.groups.sorted(by: { $0.key < $1.key }) {
                print(
                    "  \(name): \(Int(group["questions"] ?? 0)) questions, recall@10 \(String(format: "%.3f", group["recall_at_10"] ?? 0)), "
                        + "hit@10 \(String(format: "%.3f", group["hit_at_10"] ?? 0))")
            }
        }
    }

    /// `--extra` synthetic memories (in their own namespace) with random unit vectors: the
    /// scan and the lexical index grow as they would, without embedding them all.
    func addSynthetic(to store: SQLiteMemoryStore, service: MemoryService, dataset: Int, model: String) async throws {
        let total = try await store.statistics().total
        guard extra > 0, total < dataset + extra else { return }
        let corpus = SyntheticCorpus()
        for start in stride(from: total - dataset, to: extra, by: 5_000) {
            let lines = (start..<min(start + 5_000, extra)).map { Array(corpus.jsonLine($0).utf8)[...] }
            _ = try await service.importLines(lines, by: Caller(agentID: "bench"))
        }
        var random = SplitMix64(seed: 23)
        while case let jobs = try await store.embeddingBacklog(model: model, limit: 5_000), !jobs.isEmpty {
            let vectors = jobs.map { job in
                (job: job, vector: MemoryVector(model: model, floats: (0..<384).map { _ in Float(random.next() >> 40) / Float(1 << 24) - 0.5 }))
            }
            _ = try await store.saveVectors(vectors)
        }
    }

    /// Memories (text, namespace, label) and questions of the dataset.
    func load() throws -> ([(String, Namespace?, String)], [Question]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataset, isDirectory: &isFolder) else {
            throw TMWSError(.invalidInput, "no dataset at \(dataset)", field: "dataset")
        }
        if isFolder.boolValue {
            func lines(_ name: String) throws -> [[String: Any]] {
                let text = try String(contentsOfFile: dataset + "/" + name, encoding: .utf8)
                return try text.split(separator: "\n").map {
                    guard let object = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                        throw TMWSError(.invalidInput, "\(name): a line is not a JSON object", field: "dataset")
                    }
                    return object
                }
            }
            var memories: [(String, Namespace?, String)] = []
            var questions: [Question] = []
            for pair in try lines("pairs.jsonl") {
                let id = pair["id"] as? String ?? ""
                memories.append((pair["memory"] as? String ?? "", nil, id))
                questions.append(Question(text: pair["query"] as? String ?? "", group: pair["lang"] as? String ?? "?", namespace: nil, relevant: [id]))
            }
            for distractor in try lines("distractors.jsonl") {
                memories.append((distractor["memory"] as? String ?? "", nil, distractor["id"] as? String ?? ""))
            }
            return (memories, questions)
        }
        guard let samples = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dataset))) as? [[String: Any]] else {
            throw TMWSError(.invalidInput, "not LoCoMo's locomo10.json", field: "dataset")
        }
        var memories: [(String, Namespace?, String)] = []
        var questions: [Question] = []
        for (index, sample) in samples.enumerated() {
            let namespace = try Namespace(validating: "locomo-\(index)")
            guard let conversation = sample["conversation"] as? [String: Any] else { continue }
            for (key, value) in conversation where key.hasPrefix("session_") && !key.hasSuffix("date_time") {
                for turn in value as? [[String: Any]] ?? [] {
                    guard let text = turn["text"] as? String, let id = turn["dia_id"] as? String else { continue }
                    memories.append(("\(turn["speaker"] as? String ?? ""): \(text)", namespace, "\(index)/\(id)"))
                }
            }
            for qa in sample["qa"] as? [[String: Any]] ?? [] {
                guard let question = qa["question"] as? String, let evidence = qa["evidence"] as? [String], !evidence.isEmpty else { continue }
                questions.append(
                    Question(
                        text: question, group: "category \(qa["category"] as? Int ?? 0)", namespace: namespace,
                        relevant: Set(evidence.map { "\(index)/\($0)" })))
            }
        }
        return (memories, questions)
    }
}
