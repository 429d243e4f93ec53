import Foundation
import TMWSCore
import Testing

/// The one scope rule, applied once per write: hint, default scope, refusal, pinning.
@Suite struct ScopePolicyTests {
    static let namespace = try! Namespace(validating: "policy-test")

    func draft(_ content: String, tags: [String] = [], metadata: [String: JSONValue] = [:]) -> MemoryDraft {
        MemoryDraft(namespace: Self.namespace, scope: .project, content: content, tags: tags, metadata: metadata)
    }

    @Test func aHintAppliesOnlyWhereTheClassifierHasNoOpinion() throws {
        let policy = ScopePolicy()
        let plain = try policy.decide(draft("Lunch is at noon on Fridays."), explicitScope: nil, scopeHint: .global, redact: false)
        #expect(plain.draft.scope == .global)
        #expect(plain.classification.reasons.contains { $0.contains("hint") })
        // Project context wins over a hint.
        let project = try policy.decide(draft("Fix Sources/App/main.swift before the release."), explicitScope: nil, scopeHint: .global, redact: false)
        #expect(project.draft.scope == .project)
        // Sensitive content is PRIVATE, and a hint is never a reason to refuse.
        let secret = try policy.decide(draft("my wifi password is Tr0ub4dor&3"), explicitScope: nil, scopeHint: .global, redact: false)
        #expect(secret.draft.scope == .private)
        let tagged = try policy.decide(
            draft("Lunch is at noon.", tags: ["ghp_" + "R7dXk2mQ9vLp4sTz8WcY1nBf6HjE3uKa0GqV"]), explicitScope: nil, scopeHint: .global, redact: false)
        #expect(tagged.draft.scope == .private)
    }

    @Test func theDefaultScopeAppliesWhenUnsure() throws {
        let policy = ScopePolicy(defaultScope: .private)
        #expect(try policy.decide(draft("Lunch is at noon."), explicitScope: nil, redact: false).draft.scope == .private)
        #expect(try policy.decide(draft("Lunch is at noon."), explicitScope: .global, redact: false).draft.scope == .global)
    }

    @Test func aRefusalHasItsOwnCodeAndTheFindingTypes() {
        let policy = ScopePolicy()
        let error = #expect(throws: TMWSError.self) {
            try policy.decide(draft("deploy", metadata: ["password": .string("Tr0ub4dor&3-horse")]), explicitScope: .global, redact: false)
        }
        #expect(error?.code == .refused)
        #expect(error?.field == "scope")
        #expect(error?.findingTypes.isEmpty == false)
        #expect(error?.message.contains("Tr0ub4dor") == false)
    }

    @Test func aDecidedChangeIsPinnedToTheVersionItWasDecidedFor() throws {
        let policy = ScopePolicy()
        let current = Memory(
            id: MemoryID.generate(at: Date()), tenantID: "t", namespace: Self.namespace, scope: .project,
            content: "Lunch is at noon.", tags: [], importance: 0.5, metadata: [:], agentID: "a", createdAt: Date(),
            updatedAt: HybridTimestamp(rawValue: 1), version: 4, originDevice: "d", expiresAt: nil, accessCount: 0, accessedAt: nil,
            archived: false, deleted: false
        )
        let moved = try policy.decide(MemoryPatch(scope: .global), of: current, redact: false)
        #expect(moved.patch.expectedVersion == 4)
        #expect(moved.patch.scope == .global && moved.classification != nil)
        // A change of importance alone needs no decision.
        #expect(policy.undecided(MemoryPatch(importance: 0.9)) != nil)
        #expect(policy.undecided(MemoryPatch(tags: ["x"])) == nil)
    }
}
