import Foundation
import TMWSCore

/// Readable output for memories.
enum MemoryFormatting {
    /// What a person should know about a write's classification, on stderr: the warnings
    /// (an explicit scope other than the classifier's) and that data was redacted.
    static func printClassificationNotes(_ classification: ClassificationRecord?) {
        guard let classification else { return }
        for warning in classification.warnings {
            Terminal.printNote("warning: \(warning)")
        }
        if classification.redacted {
            Terminal.printNote("note: redacted before storing: \(classification.findingTypes.joined(separator: ", "))")
        }
    }

    /// All fields of one memory, one per line, then the content.
    static func detail(_ memory: Memory) -> String {
        var lines = [
            "id:          \(memory.id)",
            "scope:       \(memory.scope.rawValue)",
            "namespace:   \(memory.namespace)",
            "tags:        \(memory.tags.isEmpty ? "-" : memory.tags.joined(separator: ", "))",
            "importance:  \(format(memory.importance))",
            "version:     \(memory.version)",
            "agent:       \(memory.agentID)",
            "created:     \(ISO8601.string(from: memory.createdAt))",
            "updated:     \(ISO8601.string(from: memory.updatedAt.date))",
        ]
        if let expiresAt = memory.expiresAt {
            lines.append("expires:     \(ISO8601.string(from: expiresAt))")
        }
        if memory.pinned { lines.append("pinned:      yes (never expires, archived or evicted)") }
        if let supersedes = memory.supersedes { lines.append("supersedes:  \(supersedes) ('tmws memory history \(memory.id)')") }
        if let review = memory.review {
            let kinds = review.kinds.map(\.rawValue).joined(separator: ", ")
            lines.append(
                review.isPending
                    ? "review:      UNREVIEWED: reads as an instruction to agents (\(kinds)), from device \(memory.originDevice); 'tmws review accept|reject \(memory.id)'"
                    : "review:      accepted on this device (\(kinds))")
        }
        lines.append("accessed:    \(memory.accessCount) times")
        if !memory.metadata.isEmpty, let data = try? JSONEncoder.tmws().encode(memory.metadata) {
            lines.append("metadata:    \(String(decoding: data, as: UTF8.self))")
        }
        if !memory.deleted {
            lines.append("")
            lines.append(memory.content)
        }
        return lines.joined(separator: "\n")
    }

    /// A table of memories, optionally with a score column.
    static func table(_ memories: [Memory], scores: [Double]? = nil) -> String {
        var table =
            scores == nil
            ? TextTable("ID", "SCOPE", "NAMESPACE", "IMP", "TAGS", "CONTENT")
            : TextTable("SCORE", "ID", "SCOPE", "NAMESPACE", "IMP", "TAGS", "CONTENT")
        for (index, memory) in memories.enumerated() {
            var row = [
                memory.id.description, memory.scope.rawValue, memory.namespace.rawValue, format(memory.importance),
                TextTable.excerpt(memory.tags.joined(separator: ","), width: 24),
                // An instruction aimed at agents that no person here has accepted yet.
                TextTable.excerpt((memory.review?.isPending == true ? "[unreviewed] " : "") + memory.content),
            ]
            if let scores {
                row.insert(String(format: "%.3g", scores[index]), at: 0)
            }
            table.append(row)
        }
        return table.render()
    }

    static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
