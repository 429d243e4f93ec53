/// What a memory keeps of its classification (DESIGN §3): automatic or overridden, the
/// reasons, and finding types — never the sensitive values.
public struct ClassificationRecord: Sendable, Hashable, Codable {
    public var automaticScope: MemoryScope
    public var overridden: Bool
    public var confidence: Double
    public var reasons: [String]
    public var warnings: [String]
    public var findingTypes: [String]
    public var knowledgeType: KnowledgeType
    public var redacted: Bool

    public init(
        automaticScope: MemoryScope, overridden: Bool, confidence: Double, reasons: [String], warnings: [String],
        findingTypes: [String], knowledgeType: KnowledgeType, redacted: Bool
    ) {
        self.automaticScope = automaticScope
        self.overridden = overridden
        self.confidence = confidence
        self.reasons = reasons
        self.warnings = warnings
        self.findingTypes = findingTypes
        self.knowledgeType = knowledgeType
        self.redacted = redacted
    }

    public init(_ classification: ScopeClassification) {
        automaticScope = classification.automaticScope
        overridden = classification.overridden
        confidence = classification.confidence
        reasons = classification.reasons
        warnings = classification.warnings
        findingTypes = classification.findingTypes
        knowledgeType = classification.knowledgeType
        redacted = classification.redacted
    }

    /// Facts for the audit log: how the scope was chosen and which kinds of data were found.
    public var auditDetails: [String] {
        var details = [overridden ? "override:auto=\(automaticScope.rawValue)" : "scope:auto"]
        if !findingTypes.isEmpty { details.append("findings:" + findingTypes.joined(separator: "+")) }
        if redacted { details.append("redacted") }
        return details
    }

    enum CodingKeys: String, CodingKey {
        case overridden, confidence, reasons, warnings, redacted
        case automaticScope = "auto_scope"
        case findingTypes = "finding_types"
        case knowledgeType = "knowledge_type"
    }
}
