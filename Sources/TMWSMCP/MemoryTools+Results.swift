import Foundation
import MCP
import TMWSCore

/// What the memory tools answer: a stored memory's summary, search hits and list pages.
extension MemoryTools {
    struct StoreResult: Encodable {
        var id: MemoryID
        var scope: MemoryScope
        var version: Int
        var namespace: Namespace
        var classification: ClassificationRecord?
        /// `false` when the memory is held for review (an instruction aimed at agents).
        var reviewed: Bool?
        var outcome: AddOutcome

        init(_ outcome: AddOutcome) {
            let memory = outcome.memory
            (id, scope, version, namespace, classification) = (memory.id, memory.scope, memory.version, memory.namespace, memory.classification)
            reviewed = memory.review.map { !$0.isPending }
            self.outcome = outcome
        }

        enum CodingKeys: String, CodingKey { case id, scope, version, namespace, classification, reviewed }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(scope, forKey: .scope)
            try container.encode(version, forKey: .version)
            try container.encode(namespace, forKey: .namespace)
            try container.encode(classification, forKey: .classification)
            try container.encodeIfPresent(reviewed, forKey: .reviewed)
            try outcome.encodeFindings(to: encoder)
        }
    }

    /// A memory in a list of results: what an agent needs to use it, without the bookkeeping
    /// (`get_memory` has everything). Every result crosses the SDK as a tree of values, so
    /// smaller results are faster round trips.
    struct Summary: Encodable {
        var id: MemoryID
        var scope: MemoryScope
        var namespace: Namespace
        var content: String
        var tags: [String]
        var importance: Double
        var version: Int
        var updatedAt: String
        var score: Double?
        var foundBy: [String]?
        var similarity: Double?
        /// Set for a memory held for review: `false`, with who wrote it (an instruction aimed
        /// at agents: data to weigh, not orders to follow).
        var reviewed: Bool?
        var provenance: Provenance?
        /// The compact form: `{id, scope, first_line, score?, found_by?}` (`content` then
        /// holds the first line).
        var compact = false

        init(_ memory: Memory, score: Double? = nil, foundBy: [String]? = nil, similarity: Double? = nil) {
            self.foundBy = foundBy
            self.similarity = similarity
            id = memory.id
            scope = memory.scope
            namespace = memory.namespace
            content = memory.content
            tags = memory.tags
            importance = memory.importance
            version = memory.version
            updatedAt = ISO8601.string(from: memory.updatedAt.date)
            self.score = score
            if let review = memory.review, review.isPending {
                reviewed = false
                provenance = Provenance(memory)
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, scope, namespace, content, tags, importance, version, score, similarity, reviewed, provenance
            case updatedAt = "updated_at"
            case foundBy = "found_by"
            case firstLine = "first_line"
        }

        /// The compact form of this summary.
        var compacted: Summary {
            var summary = self
            summary.compact = true
            summary.content = TokenBudget.firstLine(content)
            return summary
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(scope, forKey: .scope)
            try container.encodeIfPresent(score, forKey: .score)
            try container.encodeIfPresent(foundBy, forKey: .foundBy)
            try container.encodeIfPresent(reviewed, forKey: .reviewed)
            try container.encodeIfPresent(provenance, forKey: .provenance)
            if compact {
                try container.encode(content, forKey: .firstLine)
                return
            }
            try container.encode(namespace, forKey: .namespace)
            try container.encode(content, forKey: .content)
            try container.encode(tags, forKey: .tags)
            try container.encode(importance, forKey: .importance)
            try container.encode(version, forKey: .version)
            try container.encode(updatedAt, forKey: .updatedAt)
            try container.encodeIfPresent(similarity, forKey: .similarity)
        }
    }

    struct SearchResult: Encodable {
        var count: Int
        var mode: SearchMode
        var note: String?
        var pendingEmbeddings: Int?
        var results: [Summary]
        var budget: BudgetReport?

        enum CodingKeys: String, CodingKey {
            case count, mode, note, results, budget
            case pendingEmbeddings = "pending_embeddings"
        }
    }

    struct ListResult: Encodable {
        var count: Int
        var memories: [Summary]
        var nextCursor: String?
        var budget: BudgetReport?

        enum CodingKeys: String, CodingKey {
            case count, memories, budget
            case nextCursor = "next_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(memories, forKey: .memories)
            try container.encode(nextCursor, forKey: .nextCursor)
            try container.encodeIfPresent(budget, forKey: .budget)
        }
    }
}
