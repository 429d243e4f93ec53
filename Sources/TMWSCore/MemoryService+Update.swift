extension MemoryService {
    /// Validates and applies a change.
    ///
    /// A change to a field that leaves the machine (content, scope, tags, metadata, namespace)
    /// is classified against the memory as it is read, and applied only if the memory is
    /// still at that version when the write transaction runs: otherwise another writer came
    /// in between (say, moving it to GLOBAL), and the change is classified again against
    /// the new version (up to ``maximumClassificationAttempts`` times). A caller's own
    /// `expectedVersion` is never retried.
    ///
    /// - Throws: `invalid_input` for an empty change or a bad field, `not_found`, `version_conflict`.
    public func update(_ id: MemoryID, _ change: Change, by caller: Caller) async throws -> Memory {
        if change.clearTTL && change.ttlDays != nil {
            throw TMWSError(.invalidInput, "ttl_days and clear_ttl cannot be combined", field: "ttl_days")
        }
        try Self.checkExpectedVersion(change.expectedVersion)
        var patch = MemoryPatch(
            content: try change.content.map(validator.validateContent),
            scope: change.scope,
            namespace: change.namespace,
            tags: try change.tags.map(validator.validateTags),
            importance: try change.importance.map(validator.validateImportance),
            metadata: try change.metadata.map(validator.validateMetadata),
            expectedVersion: change.expectedVersion
        )
        if let days = change.ttlDays {
            patch.expiresAt = .some(try validator.expiry(ttlDays: days, from: clock.now()))
        } else if change.clearTTL {
            patch.expiresAt = .some(nil)
        }
        if patch.isEmpty {
            throw TMWSError(.invalidInput, "nothing to update: give at least one field to change", field: nil)
        }
        guard patch.content != nil || patch.scope != nil || patch.tags != nil || patch.metadata != nil || patch.namespace != nil else {
            return try await store.update(id, with: patch, by: caller)
        }
        var attempt = 1
        while true {
            let current = try await store.read(id)
            let classified = try await classified(patch, of: current, redact: change.redact, by: caller)
            do {
                return try await store.update(id, with: classified, by: caller)
            } catch let error as TMWSError
                where error.code == .versionConflict && change.expectedVersion == nil && attempt < Self.maximumClassificationAttempts
            {
                attempt += 1
            }
        }
    }

    /// How often an update is classified again when other writers keep changing the memory.
    public static let maximumClassificationAttempts = 5

    /// The patch with its classification against `current`, pinned to `current`'s version.
    private func classified(_ patch: MemoryPatch, of current: Memory, redact: Bool, by caller: Caller) async throws -> MemoryPatch {
        var patch = patch
        // Every field that can leave the machine is classified again, with the others as
        // stored; the current scope counts as asked for.
        let namespace = patch.namespace ?? current.namespace
        let (classification, fields) = try await classify(
            MemoryFields(
                content: patch.content ?? current.content, tags: patch.tags ?? current.tags,
                metadata: patch.metadata ?? current.metadata, namespace: namespace.rawValue
            ),
            explicitScope: patch.scope ?? current.scope, redact: redact, namespace: namespace, by: caller
        )
        if classification.scope != current.scope || patch.scope != nil { patch.scope = classification.scope }
        if patch.content != nil || fields.content != current.content { patch.content = fields.content }
        if patch.tags != nil || fields.tags != current.tags { patch.tags = try validator.validateTags(fields.tags) }
        if patch.metadata != nil || fields.metadata != current.metadata { patch.metadata = fields.metadata }
        patch.classification = ClassificationRecord(classification)
        patch.expectedVersion = patch.expectedVersion ?? current.version
        return patch
    }
}
