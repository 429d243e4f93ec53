/// The one rule that decides where a memory may live: classify every field that can leave
/// the machine, decide the scope (DESIGN §4: sensitive is PRIVATE; an explicit scope is
/// honoured when safe; a hint only where the classifier has no opinion; when unsure,
/// `memory.default_scope`), then redact or refuse. Pure: no I/O.
///
/// Every write path (CLI, REST, MCP, import, and later sync's second check) goes through it
/// exactly once, and the store accepts only what it returns: a ``DecidedDraft`` or a
/// ``DecidedPatch`` can be built by this type alone.
package struct ScopePolicy: Sendable {
    package var classifier: ScopeClassifier
    /// The scope for memories the classifier has no opinion on. Default PROJECT.
    package var defaultScope: MemoryScope
    /// The repository's name, a project-context signal.
    package var repositoryName: String?
    /// Whether a PRIVATE scope a person chose is kept as a learning example on this node
    /// (`classifier.learn_private`). Default `false`.
    package var learnPrivate = false

    package init(classifier: ScopeClassifier = ScopeClassifier(), defaultScope: MemoryScope = .default, repositoryName: String? = nil) {
        self.classifier = classifier
        self.defaultScope = defaultScope
        self.repositoryName = repositoryName
    }

    /// The decision on a memory's fields, without storing anything (what `classify` answers).
    ///
    /// - Parameters:
    ///   - explicitScope: the scope asked for; honoured when safe.
    ///   - scopeHint: a suggestion used only when the classifier has no opinion of its own.
    ///   - redact: replace sensitive data by `[REDACTED:type]` instead of refusing a cloud scope.
    /// - Throws: `TMWSError` with code `refused` (field `scope`, the finding types in
    ///   ``TMWSError/findingTypes``) when sensitive data is bound for a cloud scope.
    package func decide(
        _ fields: MemoryFields, explicitScope: MemoryScope?, scopeHint: MemoryScope? = nil, redact: Bool, namespace: Namespace
    ) throws -> (classification: ScopeClassification, fields: MemoryFields) {
        let context = ProjectContextDetector.Context(namespace: namespace, repositoryName: repositoryName)
        var result = try classifier.classify(fields, explicitScope: explicitScope, redact: redact, context: context)
        let classification = result.classification
        let unsure =
            explicitScope == nil && !classification.sensitive && classification.automaticScope == .project
            && !classification.projectSpecific
        if unsure, let scopeHint, classification.knowledgeType == .unknown {
            result.classification.scope = scopeHint
            result.classification.reasons.append("no opinion of its own; the caller's hint is \(scopeHint.rawValue)")
        } else if unsure, defaultScope != .project {
            result.classification.scope = defaultScope
            result.classification.reasons.append("memory.default_scope is \(defaultScope.rawValue)")
        }
        return result
    }

    /// A new memory, decided: its scope, its (possibly redacted) fields and its classification.
    ///
    /// - Parameter explicitScope: the scope the caller asked for (`nil`: the policy decides).
    /// - Throws: `refused` as ``decide(_:explicitScope:scopeHint:redact:namespace:)``.
    package func decide(_ draft: MemoryDraft, explicitScope: MemoryScope?, scopeHint: MemoryScope? = nil, redact: Bool) throws -> DecidedDraft {
        var draft = draft
        let (classification, fields) = try decide(
            MemoryFields(content: draft.content, tags: draft.tags, metadata: draft.metadata, namespace: draft.namespace.rawValue),
            explicitScope: explicitScope, scopeHint: scopeHint, redact: redact, namespace: draft.namespace
        )
        draft.scope = classification.scope
        draft.content = fields.content
        draft.tags = Self.tagSet(fields.tags)
        draft.metadata = fields.metadata
        draft.classification = ClassificationRecord(classification)
        var decided = DecidedDraft(draft, classification: classification)
        decided.example = ScopeExample.learnable(
            content: draft.content, classification: classification, explicit: explicitScope != nil, source: nil, learnPrivate: learnPrivate)
        return decided
    }

    /// A change to `current`, decided against that version: when it touches a field that
    /// leaves the machine, the fields are classified with the others as stored (the current
    /// scope counts as asked for), and the patch is pinned to `current.version`, so it can only
    /// be applied to the version it was decided for.
    ///
    /// - Throws: `refused` as ``decide(_:explicitScope:scopeHint:redact:namespace:)``.
    package func decide(_ patch: MemoryPatch, of current: Memory, redact: Bool) throws -> DecidedPatch {
        var patch = patch
        guard Self.touchesClassifiedFields(patch) else { return DecidedPatch(patch, classification: nil) }
        let namespace = patch.namespace ?? current.namespace
        let (classification, fields) = try decide(
            MemoryFields(
                content: patch.content ?? current.content, tags: patch.tags ?? current.tags,
                metadata: patch.metadata ?? current.metadata, namespace: namespace.rawValue
            ),
            explicitScope: patch.scope ?? current.scope, redact: redact, namespace: namespace
        )
        if classification.scope != current.scope || patch.scope != nil { patch.scope = classification.scope }
        if patch.content != nil || fields.content != current.content { patch.content = fields.content }
        if patch.tags != nil || fields.tags != current.tags { patch.tags = Self.tagSet(fields.tags) }
        if patch.metadata != nil || fields.metadata != current.metadata { patch.metadata = fields.metadata }
        patch.classification = ClassificationRecord(classification)
        patch.expectedVersion = patch.expectedVersion ?? current.version
        var decided = DecidedPatch(patch, classification: classification)
        // A person moving a memory to another scope is a correction to learn from.
        if let asked = patch.scope, asked != current.scope {
            decided.example = ScopeExample.learnable(
                content: fields.content, classification: classification, explicit: true, source: .update, learnPrivate: learnPrivate)
        }
        return decided
    }

    /// A change that touches no field the policy decides on (importance, expiry) needs no
    /// classification; `nil` when it does touch one.
    package func undecided(_ patch: MemoryPatch) -> DecidedPatch? {
        Self.touchesClassifiedFields(patch) ? nil : DecidedPatch(patch, classification: nil)
    }

    static func touchesClassifiedFields(_ patch: MemoryPatch) -> Bool {
        patch.content != nil || patch.scope != nil || patch.tags != nil || patch.metadata != nil || patch.namespace != nil
    }

    /// Redacted tags, sorted and without duplicates (two tags can redact to one).
    private static func tagSet(_ tags: [String]) -> [String] {
        Array(Set(tags)).sorted()
    }
}

/// A new memory the ``ScopePolicy`` decided on; only the policy builds one, so a store
/// never writes a memory whose scope was not decided.
package struct DecidedDraft: Sendable, Hashable {
    package internal(set) var draft: MemoryDraft
    package private(set) var classification: ScopeClassification
    /// The learning example this write makes (a scope a person chose), stored with it.
    package internal(set) var example: ScopeExample?

    init(_ draft: MemoryDraft, classification: ScopeClassification) {
        self.draft = draft
        self.classification = classification
    }

    /// Drops the warning that the scope differs from the classifier's: for a write that named
    /// its team, SHARED was chosen as plainly as it can be (the record still says overridden,
    /// and the audit log keeps it).
    mutating func dropOverrideWarning() {
        let isOverride: (String) -> Bool = { $0.hasPrefix("stored as ") && $0.contains("; the classifier suggested ") }
        classification.warnings.removeAll(where: isOverride)
        draft.classification?.warnings.removeAll(where: isOverride)
    }

    /// Adds a warning to the answer and to the memory's classification record.
    mutating func addWarning(_ warning: String) {
        classification.warnings.append(warning)
        draft.classification?.warnings.append(warning)
    }
}

/// A change the ``ScopePolicy`` decided on (or found needs no decision).
package struct DecidedPatch: Sendable, Hashable {
    package internal(set) var patch: MemoryPatch
    /// `nil` when the change touches no classified field.
    package let classification: ScopeClassification?
    /// The learning example this change makes (a scope change by a person), stored with it.
    package internal(set) var example: ScopeExample?

    init(_ patch: MemoryPatch, classification: ScopeClassification?) {
        self.patch = patch
        self.classification = classification
    }
}
