/// What a memory keeps of its classification (DESIGN §3): automatic or overridden, the
/// reasons, and finding types — never the sensitive values.
package struct ClassificationRecord: Sendable, Hashable, Codable {
    package var automaticScope: MemoryScope
    package var overridden: Bool
    package var confidence: Double
    package var reasons: [String]
    package var warnings: [String]
    package var findingTypes: [String]
    package var knowledgeType: KnowledgeType
    package var redacted: Bool

    package init(
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

    package init(_ classification: ScopeClassification) {
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
    package var auditDetails: [String] {
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
