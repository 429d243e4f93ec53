/// The user-supplied text of a memory that travels with it to the cloud scopes: the content,
/// the tags, the metadata and the namespace. All of it is classified, so a secret cannot ride
/// along in a tag or a metadata value of a GLOBAL memory.
public struct MemoryFields: Sendable, Hashable {
    public var content: String
    public var tags: [String]
    public var metadata: [String: JSONValue]
    /// The project namespace (checked, never redacted: a namespace holding a secret is refused).
    public var namespace: String?

    public init(content: String, tags: [String] = [], metadata: [String: JSONValue] = [:], namespace: String? = nil) {
        self.content = content
        self.tags = tags
        self.metadata = metadata
        self.namespace = namespace
    }
}

/// A sensitive finding outside the content: which field, and the finding type — never the
/// value, nor the metadata key it was under (a key is user text too).
public struct FieldFinding: Sendable, Hashable, Codable {
    /// `tags`, `metadata` or `namespace`.
    public var field: String
    public var type: String

    public init(field: String, type: String) {
        self.field = field
        self.type = type
    }
}
