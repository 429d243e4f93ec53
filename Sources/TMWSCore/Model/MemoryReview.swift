/// A GLOBAL or SHARED memory that reads as an instruction to the agents that will find it
/// («always run … before tests», «ignore previous instructions»): such a memory reaches every
/// agent of a tenant, so it is held as unreviewed until a person accepts or rejects it.
package struct MemoryReview: Sendable, Hashable {
    package enum State: String, Sendable, Hashable {
        /// Found and not yet accepted: searches mark it `reviewed: false`.
        case unreviewed
        /// A person on this node accepted this text.
        case accepted
    }

    package var state: State
    /// What the detector found (kinds only, never the text).
    package var kinds: [InstructionKind]

    package init(state: State, kinds: [InstructionKind]) {
        self.state = state
        self.kinds = kinds
    }

    /// The review a memory needs after a write: none outside GLOBAL and SHARED or when the
    /// detector finds nothing; an acceptance stays only while the text is the one accepted.
    ///
    /// - Parameter previous: the memory before the write (`nil` for a new one).
    package static func after(
        _ memory: Memory, previous: Memory?, detector: InstructionDetector = InstructionDetector()
    ) -> MemoryReview? {
        guard !memory.deleted, memory.scope == .global || memory.scope == .shared else { return nil }
        if let previous, previous.content == memory.content, let kept = previous.review, !previous.evicted {
            return kept
        }
        let kinds = detector.kinds(in: memory.content)
        return kinds.isEmpty ? nil : MemoryReview(state: .unreviewed, kinds: kinds)
    }

    /// Whether a person still has to look at it.
    package var isPending: Bool { state == .unreviewed }
}

/// Who wrote the version of a memory a person has to review: the agent, the time (ISO 8601)
/// and the device.
package struct Provenance: Sendable, Hashable, Encodable {
    package var agent: String
    package var at: String
    package var device: String

    package init(agent: String, at: String, device: String) {
        self.agent = agent
        self.at = at
        self.device = device
    }

    package init(_ memory: Memory) {
        self.init(agent: memory.agentID, at: ISO8601.string(from: memory.updatedAt.date), device: memory.originDevice)
    }
}
