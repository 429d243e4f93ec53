import ArgumentParser
import Foundation
import TMWSCore
import TMWSHost

/// `tmws classify`.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Show which scope a text would get, and why, without storing it.",
        discussion: """
            Sensitive data (credentials, keys, passwords in prose, card numbers, …) makes a text PRIVATE; \
            asking for SHARED or GLOBAL is then refused. The output names finding types and character \
            ranges (Unicode code points), never the values.

            Batch mode: --jsonl reads lines {"id": "...", "content": "...", "scope": "optional"} from standard \
            input and writes one JSON line per input: its id and the classification in the same form as \
            POST /v1/classify (scope, auto_scope, overridden, sensitive, findings [{type, tier, start, end, structure, rule}], \
            field_findings, knowledge_type, project_specific, confidence, reasons, warnings, redacted), and \
            error (with scope null) when the explicit scope is refused or the line is malformed. Exits 1 if \
            any line was malformed.
            """
    )

    @Argument(help: ArgumentHelp("The text (absent: read standard input).", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("The scope you would ask for; refused when the text is sensitive and the scope is SHARED or GLOBAL.", valueName: "scope"))
    var scope: String?

    @Flag(help: "Read JSON lines from standard input and classify each.")
    var jsonl = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if jsonl && (text != nil || scope != nil) {
            throw ValidationError("--jsonl reads everything from standard input; give no text or --scope with it")
        }
        if !jsonl && text == nil && Terminal.stdinIsTerminal {
            throw ValidationError("give the text as an argument or on standard input")
        }
    }

    /// One output line of batch mode (and the `--json` output): the classification in the
    /// same JSON form as `POST /v1/classify` and MCP's `classify_scope`, with the line's `id`
    /// and, when the explicit scope was refused, `error` (and `scope` null).
    struct Line: Encodable {
        var id: String?
        var classification: ScopeClassification?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, error, scope
        }

        init(id: String?, classification: ScopeClassification, error: String? = nil) {
            self.id = id
            self.classification = classification
            self.error = error
        }

        init(id: String?, error: String) {
            self.id = id
            self.error = error
        }

        func encode(to encoder: any Encoder) throws {
            try classification?.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(id, forKey: .id)
            if let error {
                try container.encode(error, forKey: .error)
                try container.encodeNil(forKey: .scope)
            }
        }
    }

    /// One input line of batch mode.
    struct Input: Decodable {
        var id: String?
        var content: String
        var scope: String?
    }

    func run() async throws {
        let context = try AppContext(options: global)
        let service = context.service(NoStore())
        if jsonl {
            try runBatch(service)
            return
        }
        let content = try text ?? Terminal.readStandardInput()
        let line = classify(content, scope: try scope.map(MemoryScope.init(parsing:)), id: nil, service: service)
        if global.json {
            try Terminal.printJSON(line)
        } else {
            print(describe(line))
        }
        if let error = line.error {
            throw TMWSError(.invalidInput, error, field: "scope")
        }
    }

    private func classify(_ content: String, scope: MemoryScope?, id: String?, service: MemoryService) -> Line {
        let namespace = service.defaultNamespace
        do {
            let result = try service.decideScope(content, explicitScope: scope, redact: false, namespace: namespace)
            return Line(id: id, classification: result.classification)
        } catch {
            // Refused: report the automatic classification and why the explicit scope was refused.
            let automatic = try? service.decideScope(content, explicitScope: nil, redact: false, namespace: namespace)
            let message = TMWSError.safeMessage(for: error)
            guard let automatic else { return Line(id: id, error: message) }
            return Line(id: id, classification: automatic.classification, error: message)
        }
    }

    private func runBatch(_ service: MemoryService) throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var malformed = 0
        var output = Data()
        let encoder = JSONEncoder.tmws()
        for (index, raw) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).enumerated() {
            let line: Line
            do {
                guard String(validating: raw, as: UTF8.self) != nil else {
                    throw TMWSError(.invalidInput, "line \(index + 1) is not valid UTF-8")
                }
                let input = try JSONDecoder().decode(Input.self, from: Data(raw))
                let scope = try input.scope.map(MemoryScope.init(parsing:))
                if input.content.unicodeScalars.contains("\u{0}") {
                    throw TMWSError(.invalidInput, "content contains a NUL character")
                }
                line = classify(input.content, scope: scope, id: input.id, service: service)
            } catch let error as TMWSError {
                malformed += 1
                line = Line(id: nil, error: error.message)
            } catch {
                malformed += 1
                line = Line(id: nil, error: "line \(index + 1) is not a JSON object with a string 'content'")
            }
            output.append(try encoder.encode(line))
            output.append(UInt8(ascii: "\n"))
        }
        FileHandle.standardOutput.write(output)
        if malformed > 0 {
            throw TMWSError(.invalidInput, "\(malformed) input line(s) could not be classified (see their \"error\")")
        }
    }

    private func describe(_ line: Line) -> String {
        guard let classification = line.classification else { return "error: \(line.error ?? "-")" }
        let scope = line.error == nil ? classification.scope.rawValue : "refused"
        var lines = ["scope:      \(scope)  (automatic: \(classification.automaticScope.rawValue))"]
        if !classification.findings.isEmpty {
            // Each finding with where it sat and which rule judged it (names only, never the value).
            lines.append(
                "sensitive:  "
                    + classification.findings.map { finding in
                        let found = [finding.structure, finding.rule].compactMap { $0 }.joined(separator: ", ")
                        return "\(finding.type) [\(finding.start)..<\(finding.end)]" + (found.isEmpty ? "" : " (\(found))")
                    }.joined(separator: ", "))
        }
        lines.append("knowledge:  \(classification.knowledgeType.rawValue)\(classification.projectSpecific ? " (project-specific)" : "")")
        lines.append(String(format: "confidence: %.2f", classification.confidence))
        for reason in classification.reasons { lines.append("reason:     \(reason)") }
        for warning in classification.warnings { lines.append("warning:    \(warning)") }
        return lines.joined(separator: "\n")
    }
}

/// The classify command needs no database; the service's store is never called.
private struct NoStore: MemoryStore {
    func unavailable() -> TMWSError { TMWSError(.storage, "classify does not open the database") }
    func create(_ draft: DecidedDraft, by caller: Caller) async throws -> Memory { throw unavailable() }
    func get(_ id: MemoryID) async throws -> Memory { throw unavailable() }
    func read(_ id: MemoryID) async throws -> Memory { throw unavailable() }
    func recordRefusal(scope: MemoryScope, namespace: Namespace, details: [String], by caller: Caller) async throws {}
    func update(_ id: MemoryID, with patch: DecidedPatch, by caller: Caller) async throws -> Memory { throw unavailable() }
    func delete(_ id: MemoryID, expectedVersion: Int?, by caller: Caller) async throws -> Memory { throw unavailable() }
    func list(_ request: ListRequest) async throws -> MemoryPage { throw unavailable() }
    func search(_ request: SearchRequest) async throws -> [SearchHit] { throw unavailable() }
    func flushAccesses() async throws {}
    func importBatch(_ drafts: [DecidedDraft], by caller: Caller) async throws -> ImportOutcome { throw unavailable() }
    func pruneExpired(dryRun: Bool, by caller: Caller) async throws -> PruneOutcome { throw unavailable() }
    func statistics() async throws -> MemoryStatistics { throw unavailable() }
    func forEachMemory(filter: MemoryFilter, _ body: @Sendable ([Memory]) throws -> Void) async throws { throw unavailable() }
    func lookalikes(keys: [Int64], scope: MemoryScope, namespace: Namespace, team: String?, limit: Int) async throws -> [Memory] {
        throw unavailable()
    }
    func successors(of id: MemoryID) async throws -> [Memory] { throw unavailable() }
    func create<Verdict: Sendable>(
        _ draft: DecidedDraft, unlessLike keys: [Int64], limit: Int, by caller: Caller,
        judge: @escaping @Sendable ([Memory]) -> (into: Memory?, verdict: Verdict)
    ) async throws -> (memory: Memory, verdict: Verdict) { throw unavailable() }
    func acceptReview(_ id: MemoryID, by caller: Caller) async throws -> Memory { throw unavailable() }
}
