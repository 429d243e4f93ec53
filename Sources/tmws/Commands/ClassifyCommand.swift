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
            Sensitive data (credentials, keys, passwords in prose, card numbers, …) makes a text PRIVATE;
            asking for SHARED or GLOBAL is then refused. The output names finding types and character
            ranges (Unicode code points), never the values.

            Batch mode: --jsonl reads lines {"id": "...", "content": "...", "scope": "optional"} from standard
            input and writes one JSON line per input with id, scope, auto_scope, overridden, sensitive,
            findings [{type, start, end}], knowledge_type, project_specific, confidence, reasons, warnings,
            and error when the explicit scope is refused or the line is malformed. Exits 1 if any line was
            malformed.
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

    /// One output line of batch mode (and the `--json` output).
    struct Line: Encodable {
        var id: String?
        var scope: MemoryScope?
        var autoScope: MemoryScope?
        var overridden: Bool?
        var sensitive: Bool?
        var findings: [Finding]?
        var knowledgeType: KnowledgeType?
        var projectSpecific: Bool?
        var confidence: Double?
        var reasons: [String]?
        var warnings: [String]?
        var error: String?

        struct Finding: Encodable {
            var type: String
            var start: Int
            var end: Int
        }

        enum CodingKeys: String, CodingKey {
            case id, scope, overridden, sensitive, findings, confidence, reasons, warnings, error
            case autoScope = "auto_scope"
            case knowledgeType = "knowledge_type"
            case projectSpecific = "project_specific"
        }

        init(id: String?, classification: ScopeClassification, error: String? = nil) {
            self.id = id
            scope = error == nil ? classification.scope : nil
            autoScope = classification.automaticScope
            overridden = error == nil ? classification.overridden : false
            sensitive = classification.sensitive
            findings = classification.findings.map { Finding(type: $0.type, start: $0.start, end: $0.end) }
            knowledgeType = classification.knowledgeType
            projectSpecific = classification.projectSpecific
            confidence = classification.confidence
            reasons = classification.reasons
            warnings = classification.warnings
            self.error = error
        }

        init(id: String?, error: String) {
            self.id = id
            self.error = error
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
        var lines = ["scope:      \(line.scope?.rawValue ?? "refused")  (automatic: \(line.autoScope?.rawValue ?? "-"))"]
        if let findings = line.findings, !findings.isEmpty {
            lines.append("sensitive:  " + findings.map { "\($0.type) [\($0.start)..<\($0.end)]" }.joined(separator: ", "))
        }
        lines.append("knowledge:  \(line.knowledgeType?.rawValue ?? "-")\(line.projectSpecific == true ? " (project-specific)" : "")")
        lines.append(String(format: "confidence: %.2f", line.confidence ?? 0))
        for reason in line.reasons ?? [] { lines.append("reason:     \(reason)") }
        for warning in line.warnings ?? [] { lines.append("warning:    \(warning)") }
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
}
