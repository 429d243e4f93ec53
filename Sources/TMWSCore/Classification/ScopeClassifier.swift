import Foundation

/// The outcome of classifying a memory: where it goes, where it would have gone on its own,
/// and why. It holds finding types and ranges, never the sensitive values.
package struct ScopeClassification: Sendable, Hashable, Codable {
    package var scope: MemoryScope
    package var automaticScope: MemoryScope
    /// Whether an explicit scope was honoured over the automatic one.
    package var overridden: Bool
    /// Whether the content holds sensitive data.
    package var sensitive: Bool
    package var confidence: Double
    package var reasons: [String]
    package var warnings: [String]
    /// Findings in the content, with their ranges.
    package var findings: [SensitiveFinding]
    /// Findings in the other fields that leave the machine with a memory (tags, metadata).
    package var fieldFindings: [FieldFinding] = []
    package var knowledgeType: KnowledgeType
    package var projectSpecific: Bool
    /// Whether findings were replaced by `[REDACTED:type]` before storing.
    package var redacted: Bool

    /// The distinct finding types of every field, sorted.
    package var findingTypes: [String] { Array(Set(findings.map(\.type) + fieldFindings.map(\.type))).sorted() }

    enum CodingKeys: String, CodingKey {
        case scope, overridden, sensitive, confidence, reasons, warnings, findings, redacted
        case fieldFindings = "field_findings"
        case automaticScope = "auto_scope"
        case knowledgeType = "knowledge_type"
        case projectSpecific = "project_specific"
    }
}

/// Decides a memory's scope with the precedence of DESIGN §4: sensitive content is PRIVATE,
/// always; an explicit scope is honoured when it is safe, with a warning when it differs
/// from the automatic one; otherwise the automatic result; when unsure, PROJECT; and a
/// detector failure or timeout means PRIVATE.
package struct ScopeClassifier: Sendable {
    package var detector: SensitiveDataDetector
    package var projectDetector: ProjectContextDetector
    package var knowledgeClassifier: KnowledgeTypeClassifier
    /// Confidence needed before the classifier itself sends a memory to a cloud scope. Default 0.75.
    package var cloudConfidence: Double
    /// Longest the detector may take before the memory is treated as sensitive. Default 2 s.
    package var timeout: Duration
    /// The deployed scope model (`tmws classifier deploy`), consulted only where the detector
    /// found nothing; `nil`: the rules alone.
    package var model: ScopeModel?

    package init(
        detector: SensitiveDataDetector = SensitiveDataDetector(), projectDetector: ProjectContextDetector = ProjectContextDetector(),
        knowledgeClassifier: KnowledgeTypeClassifier = KnowledgeTypeClassifier(), cloudConfidence: Double = 0.75,
        timeout: Duration = .seconds(2)
    ) {
        self.detector = detector
        self.projectDetector = projectDetector
        self.knowledgeClassifier = knowledgeClassifier
        self.cloudConfidence = cloudConfidence
        self.timeout = timeout
    }

    /// The finding types that keep these fields out of SHARED and GLOBAL — exactly what
    /// ``classify(_:explicitScope:redact:context:)`` refuses an explicit cloud scope for (a
    /// secret in any field, or a check that ran out of time) — without the rest of the
    /// classification: the second line of defence runs it on every outgoing change. `nil`
    /// when nothing stops them.
    package func cloudBlockers(_ fields: MemoryFields) -> [String]? {
        let fieldTypes = Set(scanFields(fields).map(\.type))
        let clock = ContinuousClock()
        let start = clock.now
        let normalized = NormalizedText(fields.content)
        let found = detector.scan(normalized, bytes: ByteText(normalized.text))
        if fieldTypes.isEmpty, clock.now - start > timeout { return ["timeout"] }
        let types = fieldTypes.union(found.map(\.type))
        return types.isEmpty ? nil : types.sorted()
    }

    /// Classifies content, honouring `explicitScope` when it is safe.
    ///
    /// - Throws: `TMWSError` (`invalid_input`, field `scope`) when the content is sensitive and
    ///   the explicit scope is SHARED or GLOBAL; the message names the finding types only.
    package func classify(
        _ content: String, explicitScope: MemoryScope? = nil, context: ProjectContextDetector.Context = .init()
    ) throws -> ScopeClassification {
        let clock = ContinuousClock()
        let start = clock.now
        // Normalise once and share the prepared bytes between the three detectors.
        let normalized = NormalizedText(content)
        let bytes = ByteText(normalized.text)
        let findings = detector.scan(normalized, bytes: bytes)
        let timedOut = clock.now - start > timeout
        let projectReasons = projectDetector.reasons(in: normalized.text, bytes: bytes, context: context)
        let knowledge = knowledgeClassifier.classify(bytes, projectReasons: projectReasons)

        var reasons: [String] = []
        var automatic: MemoryScope
        var confidence: Double
        if timedOut {
            automatic = .private
            confidence = 1
            reasons.append("the sensitive-data check took too long; kept PRIVATE to be safe")
        } else if !findings.isEmpty {
            automatic = .private
            confidence = 1
            let types = Array(Set(findings.map(\.type))).sorted()
            reasons.append("contains sensitive data: \(types.joined(separator: ", "))")
        } else {
            switch knowledge.type {
            case .projectSpecific:
                automatic = .project
                confidence = knowledge.confidence
                reasons += projectReasons.map { "project-specific: \($0)" }
            case .universal where knowledge.confidence >= cloudConfidence:
                automatic = .global
                confidence = knowledge.confidence
                reasons.append("general knowledge (\(knowledge.cues.count) cues: \(knowledge.cues.prefix(3).joined(separator: ", ")))")
            case .teamConvention where knowledge.confidence >= cloudConfidence:
                automatic = .shared
                confidence = knowledge.confidence
                reasons.append("team convention (\(knowledge.cues.count) cues: \(knowledge.cues.prefix(3).joined(separator: ", ")))")
            default:
                automatic = .project
                confidence = 0.5
                reasons.append("no strong signal; PROJECT stays on this machine")
            }
            // The detector found nothing: a deployed model may choose among the rest, when it
            // is sure enough; otherwise the rules stand.
            if let model {
                if let suggestion = model.suggest(content) {
                    reasons.append(
                        "scope model v\(model.version): \(suggestion.scope.rawValue) (confidence \(String(format: "%.2f", suggestion.confidence)); the rules said \(automatic.rawValue))"
                    )
                    automatic = suggestion.scope
                    confidence = suggestion.confidence
                } else {
                    reasons.append("scope model v\(model.version) unsure; the rules decide")
                }
            }
        }

        var classification = ScopeClassification(
            scope: automatic, automaticScope: automatic, overridden: false, sensitive: !findings.isEmpty || timedOut,
            confidence: confidence, reasons: reasons, warnings: [], findings: findings, knowledgeType: knowledge.type,
            projectSpecific: !projectReasons.isEmpty, redacted: false
        )
        guard let explicitScope, explicitScope != automatic else { return classification }
        if classification.sensitive {
            if explicitScope.isCloud {
                throw Self.refusal(types: classification.findingTypes, scope: explicitScope, timedOut: timedOut)
            }
            // PROJECT is local too, but sensitive content is PRIVATE, always.
            classification.warnings.append("asked for \(explicitScope.rawValue), stored as PRIVATE: the content is sensitive")
            return classification
        }
        classification.scope = explicitScope
        classification.overridden = true
        classification.warnings.append(
            "stored as \(explicitScope.rawValue) as asked; the classifier suggested \(automatic.rawValue)"
        )
        return classification
    }

    /// Classifies, and when the content is sensitive and `redact` is set, replaces each finding
    /// by `[REDACTED:type]` so the redacted text can go to the explicit scope.
    ///
    /// - Returns: the classification and the content to store (redacted or not).
    package func classify(
        _ content: String, explicitScope: MemoryScope?, redact: Bool, context: ProjectContextDetector.Context = .init()
    ) throws -> (classification: ScopeClassification, content: String) {
        do {
            return (try classify(content, explicitScope: explicitScope, context: context), content)
        } catch let error as TMWSError where redact && error.code == .refused {
            let findings = detector.scan(content)
            let redactedText = Self.redact(content, findings: findings)
            var classification = try classify(redactedText, explicitScope: explicitScope, context: context)
            guard !classification.sensitive else {
                // Redaction left something behind (overlapping encodings): never send it.
                throw error
            }
            classification.redacted = true
            classification.findings = findings
            classification.reasons.insert("redacted \(Set(findings.map(\.type)).count) kind(s) of sensitive data before storing", at: 0)
            return (classification, redactedText)
        }
    }

    /// The text with every finding replaced by `[REDACTED:type]`.
    package static func redact(_ text: String, findings: [SensitiveFinding]) -> String {
        let scalars = Array(text.unicodeScalars)
        // Merge overlapping ranges; the first type found names the merged range.
        var merged: [(start: Int, end: Int, type: String)] = []
        for finding in findings.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let last = merged.last, finding.start < last.end {
                merged[merged.count - 1].end = max(last.end, finding.end)
            } else {
                merged.append((finding.start, finding.end, finding.type))
            }
        }
        var output = String.UnicodeScalarView()
        var position = 0
        for range in merged {
            output.append(contentsOf: scalars[position..<min(range.start, scalars.count)])
            output.append(contentsOf: "[REDACTED:\(range.type)]".unicodeScalars)
            position = min(range.end, scalars.count)
        }
        output.append(contentsOf: scalars[position...])
        return String(output)
    }

    static func refusal(types: [String], scope: MemoryScope, timedOut: Bool) -> TMWSError {
        let what = timedOut ? "could not be checked in time" : "contains sensitive data (\(types.joined(separator: ", ")))"
        var error = TMWSError(
            .refused,
            "\(scope.rawValue) refused: the memory \(what); use PRIVATE, or redact it (--redact, or \"redact\": true)",
            field: "scope"
        )
        error.findingTypes = timedOut ? ["timeout"] : types
        return error
    }
}
