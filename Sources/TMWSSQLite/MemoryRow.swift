import Foundation
import GRDB
import TMWSCore

/// Reading memories out of `memory` rows.
enum MemoryRow {
    /// A memory's text (over alias `m`): an archived memory's comes out of `memory_archive`,
    /// decompressed.
    static let content = """
        CASE m.archived WHEN 0 THEN m.content
            ELSE \(ArchivedText.functionName)((SELECT a.content FROM memory_archive a WHERE a.memory_seq = m.seq)) END
        """

    /// The columns every memory query selects, in this order.
    static let columns = """
        m.seq, m.id, m.tenant_id, m.namespace, m.scope, \(content), m.importance, m.metadata, m.agent_id,
        m.created_at, m.updated_hlc, m.version, m.origin_device, m.expires_at, m.access_count,
        m.accessed_at, m.archived, m.deleted, m.classification, m.team_id, m.pinned, m.evicted, m.supersedes, m.review, m.review_kinds
        """

    /// A memory from a row selected with ``columns``, without its tags.
    static func decode(_ row: Row) throws -> (seq: Int64, memory: Memory) {
        let idText: String = row[1]
        let namespaceText: String = row[3]
        let scopeText: String = row[4]
        let metadataText: String = row[7]
        guard let uuid = UUID(uuidString: idText),
            let scope = MemoryScope(rawValue: scopeText),
            let namespace = try? Namespace(validating: namespaceText)
        else {
            throw TMWSError(.storage, "the database holds a malformed memory row (seq \(row[0] as Int64)); run 'tmws doctor'")
        }
        let metadata = metadataText == "{}" ? [:] : (try? JSONDecoder().decode([String: JSONValue].self, from: Data(metadataText.utf8))) ?? [:]
        var memory = Memory(
            id: MemoryID(uuid: uuid),
            tenantID: row[2],
            namespace: namespace,
            scope: scope,
            content: row[5],
            tags: [],
            importance: row[6],
            metadata: metadata,
            agentID: row[8],
            createdAt: date(millis: row[9]),
            updatedAt: HybridTimestamp(rawValue: row[10]),
            version: row[11],
            originDevice: row[12],
            expiresAt: (row[13] as Int64?).map(date(millis:)),
            accessCount: row[14],
            accessedAt: (row[15] as Int64?).map(date(millis:)),
            archived: row[16],
            deleted: row[17],
            classification: (row[18] as String?).flatMap { try? JSONDecoder().decode(ClassificationRecord.self, from: Data($0.utf8)) },
            team: row[19]
        )
        memory.pinned = row[20]
        memory.evicted = row[21]
        memory.supersedes = (row[22] as String?).flatMap { try? MemoryID(parsing: $0) }
        if let state = (row[23] as String?).flatMap(MemoryReview.State.init(rawValue:)) {
            let kinds = ((row[24] as String?) ?? "").split(separator: ",").compactMap { InstructionKind(rawValue: String($0)) }
            memory.review = MemoryReview(state: state, kinds: kinds)
        }
        return (row[0], memory)
    }

    /// Decodes rows and attaches their tags with one extra query.
    ///
    /// - Parameter cached: keep the compiled statement for the next call. Only for SQL whose
    ///   variants are few (such as `IN` lists up to a page size), since each one stays cached.
    static func fetchAll(
        _ db: Database, sql: String, arguments: StatementArguments, cached: Bool = false
    ) throws -> [(seq: Int64, memory: Memory)] {
        let statement = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        var results = try Row.fetchAll(statement, arguments: arguments).map(decode)
        guard !results.isEmpty else { return results }
        let seqs = results.map(\.seq)
        var tagsBySeq: [Int64: [String]] = [:]
        let placeholders = Array(repeating: "?", count: seqs.count).joined(separator: ",")
        let tagRows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT memory_seq, tag FROM memory_tag WHERE memory_seq IN (\(placeholders)) ORDER BY tag"),
            arguments: StatementArguments(seqs)
        )
        while let row = try tagRows.next() {
            tagsBySeq[row[0], default: []].append(row[1])
        }
        for index in results.indices {
            results[index].memory.tags = tagsBySeq[results[index].seq] ?? []
        }
        return results
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    static func encodeClassification(_ classification: ClassificationRecord?) -> String? {
        classification.map { String(decoding: $0.jsonBytes(), as: UTF8.self) }
    }

    static func encodeKinds(_ review: MemoryReview?) -> String? {
        review.map { $0.kinds.map(\.rawValue).joined(separator: ",") }
    }

    static func encodeMetadata(_ metadata: [String: JSONValue]) -> String {
        guard !metadata.isEmpty, let data = try? JSONEncoder.tmws().encode(metadata) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
