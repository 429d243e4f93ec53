import Foundation

/// Change events read from JSON without `Codable` (``JSONReader``): the outbox, a push and
/// a pulled page each carry hundreds of them. The fields and their checks are the ones the
/// `Codable` conformance has; `ChangeEventTests` holds the two to the same answers.
extension ChangeEvent {
    /// An event from its JSON.
    ///
    /// - Throws: `invalid_input` for JSON that is not a change event of a known format.
    package static func decode(_ data: some Collection<UInt8>) throws -> ChangeEvent {
        try ChangeEvent(reading: try parsed(data, "a change event", field: "event"))
    }

    /// A document's root, or `invalid_input` naming what it is not.
    static func parsed(_ data: some Collection<UInt8>, _ what: String, field: String) throws -> JSONReader.Node {
        do {
            return try JSONReader.parse(data)
        } catch let error as JSONReader.SyntaxError {
            throw TMWSError(.invalidInput, "not \(what) (\(error))", field: field)
        }
    }

    /// An event from a parsed document (a member of a larger one: a push body, a page).
    package init(reading node: JSONReader.Node) throws {
        let fields = try FieldReader(node, path: "event")
        let format = try fields.integer("v")
        guard format == Self.formatVersion else {
            throw TMWSError(.invalidInput, "change event format \(format) is not supported (this node reads \(Self.formatVersion))", field: "event")
        }
        guard let operation = Operation(rawValue: try fields.string("operation")) else {
            throw fields.invalid("operation", "is not create, update or delete")
        }
        self.init(
            eventID: try fields.string("event_id"), operation: operation, memoryID: try fields.memoryID("memory_id"),
            version: try fields.integer("version"), baseVersion: try fields.optionalInteger("base_version"),
            clock: HybridTimestamp(rawValue: try fields.int64("hlc")), device: try fields.string("device"),
            memory: try fields.optionalObject("memory").map { try ReplicatedMemory(reading: $0) },
            baseClock: try fields.optionalInt64("base_hlc").map(HybridTimestamp.init(rawValue:)),
            baseDevice: try fields.optionalString("base_device"), team: try fields.optionalString("team"),
            sealed: try fields.optionalObject("sealed").map { try SealedEnvelope(reading: $0) },
            vector: try fields.optionalObject("vector").map { try MemoryVector(reading: $0) }
        )
        if operation != .delete, memory == nil, sealed == nil {
            throw TMWSError(.invalidInput, "a \(operation.rawValue) event needs the memory's fields", field: "event")
        }
    }
}

extension ReplicatedMemory {
    init(reading fields: FieldReader) throws {
        let scopeText = try fields.string("scope")
        guard let scope = MemoryScope(rawValue: scopeText) else { throw fields.invalid("scope", "is not a scope") }
        tenantID = try fields.string("tenant_id")
        do {
            namespace = try Namespace(validating: try fields.string("namespace"))
        } catch let error as TMWSError where error.code == .invalidInput {
            throw fields.invalid("namespace", "is not a valid namespace")
        }
        self.scope = scope
        content = try fields.string("content")
        tags = try fields.strings("tags")
        importance = try fields.double("importance")
        metadata = try fields.object("metadata")
        agentID = try fields.string("agent_id")
        guard let created = try fields.optionalDate("created_at") else { throw fields.invalid("created_at", "is missing") }
        createdAt = created
        expiresAt = try fields.optionalDate("expires_at")
        classification = try fields.optionalObject("classification").map { try ClassificationRecord(reading: $0) }
        supersedes = try fields.optionalString("supersedes").map {
            guard let id = try? MemoryID(parsing: $0) else { throw fields.invalid("supersedes", "is not a memory id") }
            return id
        }
        pinned = try fields.present("pinned") == nil ? false : fields.bool("pinned")
    }
}

extension ClassificationRecord {
    init(reading fields: FieldReader) throws {
        guard let automatic = MemoryScope(rawValue: try fields.string("auto_scope")) else { throw fields.invalid("auto_scope", "is not a scope") }
        guard let knowledge = KnowledgeType(rawValue: try fields.string("knowledge_type")) else {
            throw fields.invalid("knowledge_type", "is not a knowledge type")
        }
        self.init(
            automaticScope: automatic, overridden: try fields.bool("overridden"), confidence: try fields.double("confidence"),
            reasons: try fields.strings("reasons"), warnings: try fields.strings("warnings"), findingTypes: try fields.strings("finding_types"),
            knowledgeType: knowledge, redacted: try fields.bool("redacted")
        )
    }
}

/// Typed members of a JSON object, with errors that name the member (never its value).
struct FieldReader {
    let members: [String: JSONReader.Node]
    let path: String

    init(_ node: JSONReader.Node, path: String) throws {
        guard case .object(let members) = node else { throw TMWSError(.invalidInput, "\(path) must be a JSON object", field: path) }
        self.members = members
        self.path = path
    }

    func invalid(_ key: String, _ problem: String) -> TMWSError {
        TMWSError(.invalidInput, "not a change event (\(path).\(key) \(problem))", field: "event")
    }

    /// The member, `nil` when absent or null.
    func present(_ key: String) -> JSONReader.Node? {
        switch members[key] {
        case nil, .null?: nil
        case let node?: node
        }
    }

    func required(_ key: String) throws -> JSONReader.Node {
        guard let node = present(key) else { throw invalid(key, "is missing") }
        return node
    }

    func string(_ key: String) throws -> String {
        guard case .string(let text) = try required(key) else { throw invalid(key, "must be a string") }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        guard present(key) != nil else { return nil }
        return try string(key)
    }

    func int64(_ key: String) throws -> Int64 {
        switch try required(key) {
        case .integer(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        default: throw invalid(key, "must be an integer")
        }
    }

    func optionalInt64(_ key: String) throws -> Int64? {
        guard present(key) != nil else { return nil }
        return try int64(key)
    }

    func integer(_ key: String) throws -> Int {
        guard let value = Int(exactly: try int64(key)) else { throw invalid(key, "is out of range") }
        return value
    }

    func optionalInteger(_ key: String) throws -> Int? {
        guard present(key) != nil else { return nil }
        return try integer(key)
    }

    func double(_ key: String) throws -> Double {
        switch try required(key) {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: throw invalid(key, "must be a number")
        }
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let value) = try required(key) else { throw invalid(key, "must be true or false") }
        return value
    }

    func strings(_ key: String) throws -> [String] {
        guard case .array(let elements) = try required(key) else { throw invalid(key, "must be an array of strings") }
        return try elements.map { element in
            guard case .string(let text) = element else { throw invalid(key, "must be an array of strings") }
            return text
        }
    }

    func object(_ key: String) throws -> [String: JSONValue] {
        guard case .object(let members) = try required(key) else { throw invalid(key, "must be an object") }
        return members.mapValues(\.jsonValue)
    }

    func optionalObject(_ key: String) throws -> FieldReader? {
        guard let node = present(key) else { return nil }
        return try FieldReader(node, path: path + "." + key)
    }

    func memoryID(_ key: String) throws -> MemoryID {
        do {
            return try MemoryID(parsing: try string(key))
        } catch let error as TMWSError where error.code == .invalidInput {
            throw invalid(key, "is not a memory id")
        }
    }

    func optionalDate(_ key: String) throws -> Date? {
        guard present(key) != nil else { return nil }
        guard let date = ISO8601.date(from: try string(key)) else { throw invalid(key, "is not an ISO 8601 date") }
        return date
    }
}

extension MemoryVector {
    /// A vector from its JSON (``jsonBytes()``), checked.
    package static func decode(_ data: some Collection<UInt8>) throws -> MemoryVector {
        try MemoryVector(reading: try FieldReader(try ChangeEvent.parsed(data, "a vector", field: "vector"), path: "vector"))
    }

    /// Its JSON, as change events carry it.
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: values.count * 2 + 96)
        writer.value(jsonValue)
        return writer.bytes
    }

    init(reading fields: FieldReader) throws {
        let text = try fields.string("data")
        guard text.utf8.count <= (Self.maximumDimension + 2) / 3 * 4, let data = Data(base64Encoded: text) else {
            throw fields.invalid("data", "is not base64 of at most \(Self.maximumDimension) values")
        }
        do {
            try self.init(model: try fields.string("model"), scale: Float(try fields.double("scale")), bytes: data)
        } catch let error as TMWSError {
            throw fields.invalid(error.field ?? "vector", "is not a vector TMWS accepts")
        }
    }
}

extension ReplicatedMemory {
    /// The fields from their JSON (``jsonBytes()``).
    ///
    /// - Throws: `invalid_input` for JSON that is not a memory's replicated fields.
    package static func decode(_ data: some Collection<UInt8>) throws -> ReplicatedMemory {
        try ReplicatedMemory(reading: try FieldReader(try ChangeEvent.parsed(data, "a memory's fields", field: "memory"), path: "memory"))
    }
}
