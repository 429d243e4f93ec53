import Foundation
import TMWSCore
import TMWSHubDomain

/// SHARED memory rows as column arrays: routing fields, the header and the ciphertext
/// (base64; decoded by PostgreSQL).
struct SealedRows {
    var ids: [UUID] = [], teams: [UUID] = [], versions: [Int] = [], clocks: [Int64] = [], devices: [String] = [], epochs: [Int] = []
    var headers: [String] = [], ciphertexts: [String] = []

    mutating func append(_ event: ChangeEvent) {
        guard let sealed = event.sealed, let team = event.team.flatMap(UUID.init(uuidString:)) else { return }
        ids.append(event.memoryID.uuid)
        teams.append(team)
        versions.append(event.version)
        clocks.append(event.clock.rawValue)
        devices.append(event.device)
        epochs.append(sealed.epoch)
        headers.append(sealed.header)
        ciphertexts.append(sealed.ciphertext)
    }
}

/// Memory rows as column arrays, for one statement over `unnest`. Empty text stands for SQL
/// NULL in the optional columns; each row's tags travel as a PostgreSQL array literal.
struct MemoryRows {
    var ids: [UUID] = [], namespaces: [String] = [], versions: [Int] = [], clocks: [Int64] = [], devices: [String] = []
    var deleted: [Bool] = [], contents: [String] = [], searchTexts: [String] = [], tags: [String] = [], importances: [Double] = []
    var metadata: [String] = [], agents: [String] = [], created: [String] = [], expires: [String] = [], classifications: [String] = []

    mutating func append(_ event: ChangeEvent, _ fields: ReplicatedMemory) {
        let deleted = event.operation == .delete
        ids.append(event.memoryID.uuid)
        namespaces.append(fields.namespace.rawValue)
        versions.append(event.version)
        clocks.append(event.clock.rawValue)
        devices.append(event.device)
        self.deleted.append(deleted)
        contents.append(deleted ? "" : fields.content)
        searchTexts.append(deleted ? "" : SearchText.indexText(fields.content))
        tags.append(Self.arrayLiteral(deleted ? [] : fields.tags))
        importances.append(fields.importance)
        var writer = JSONWriter(capacity: 64)
        writer.value(.object(deleted ? [:] : fields.metadata))
        metadata.append(String(decoding: writer.bytes, as: UTF8.self))
        agents.append(fields.agentID)
        created.append(ISO8601.string(from: fields.createdAt))
        expires.append(fields.expiresAt.map(ISO8601.string(from:)) ?? "")
        classifications.append(deleted ? "" : fields.classification.map { String(decoding: $0.jsonBytes(), as: UTF8.self) } ?? "")
    }

    /// `{"a","b"}`: every element quoted, `"` and `\` escaped with a backslash.
    static func arrayLiteral(_ elements: [String]) -> String {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }
}
