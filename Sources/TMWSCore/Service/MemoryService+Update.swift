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
    package func update(_ id: MemoryID, _ change: Change, by caller: Caller) async throws -> Memory {
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
        if change.pinned == true, change.ttlDays != nil {
            throw TMWSError(.invalidInput, "a pinned memory never expires: give ttl_days or pinned, not both", field: "ttl_days")
        }
        patch.pinned = change.pinned
        patch.supersedes = change.supersedes
        if case .some(.some(let target)) = change.supersedes { try await checkSupersession(of: target, by: id) }
        if change.ttlDays != nil, change.pinned == nil, try await store.read(id).pinned {
            throw TMWSError(.invalidInput, "memory \(id) is pinned and never expires: unpin it first to give it a ttl", field: "ttl_days")
        }
        if let team = change.team {
            patch.team = try Self.validTeam(try resolveTeam(team))
            guard change.scope == nil || change.scope == .shared else {
                throw TMWSError(.invalidInput, "a team is given only for a SHARED memory", field: "team")
            }
            patch.scope = change.scope ?? patch.scope
        }
        if patch.isEmpty {
            throw TMWSError(.invalidInput, "nothing to update: give at least one field to change", field: nil)
        }
        if let team = patch.team {
            let current = try await store.read(id)
            if current.scope == .shared, let held = current.team, held.lowercased() != team.lowercased() {
                throw TMWSError(
                    .invalidInput,
                    "a SHARED memory stays in the team it was written for (every device refuses a move): store a copy for the other team instead",
                    field: "team"
                )
            }
        }
        if let plain = policy.undecided(patch) {
            if patch.team != nil, change.scope == nil, try await store.read(id).scope != .shared {
                throw TMWSError(.invalidInput, "a team is given only for a SHARED memory: add --scope SHARED", field: "team")
            }
            return try await store.update(id, with: plain, by: caller)
        }
        var attempt = 1
        while true {
            let current = try await store.read(id)
            if current.scope == .global, patch.scope == .shared {
                throw TMWSError(
                    .invalidInput,
                    "a GLOBAL memory cannot become SHARED: the whole tenant already holds it in clear under this id; "
                        + "store a copy with --scope SHARED instead", field: "scope"
                )
            }
            if current.scope == .shared, patch.scope == .global {
                throw TMWSError(
                    .invalidInput,
                    "a SHARED memory cannot become GLOBAL: its team's text would go to the whole tenant under the same id; "
                        + "store a copy with --scope GLOBAL instead", field: "scope"
                )
            }
            var decided = try await deciding(scope: patch.scope ?? current.scope, namespace: patch.namespace ?? current.namespace, by: caller) {
                try policy.decide(patch, of: current, redact: change.redact)
            }
            if (decided.patch.scope ?? current.scope) == .shared, current.team == nil {
                guard let team = decided.patch.team ?? defaultTeam else { throw teamless() }
                decided.patch.team = team
            }
            do {
                return try await store.update(id, with: decided, by: caller)
            } catch let error as TMWSError
                where error.code == .versionConflict && change.expectedVersion == nil && attempt < Self.maximumClassificationAttempts
            {
                attempt += 1
            }
        }
    }

    /// How often an update is classified again when other writers keep changing the memory.
    package static let maximumClassificationAttempts = 5
}
