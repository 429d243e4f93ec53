/// The user-supplied text of a memory that travels with it to the cloud scopes: the content,
/// the tags, the metadata and the namespace. All of it is classified, so a secret cannot ride
/// along in a tag or a metadata value of a GLOBAL memory.
package struct MemoryFields: Sendable, Hashable {
    package var content: String
    package var tags: [String]
    package var metadata: [String: JSONValue]
    /// The project namespace (checked, never redacted: a namespace holding a secret is refused).
    package var namespace: String?

    package init(content: String, tags: [String] = [], metadata: [String: JSONValue] = [:], namespace: String? = nil) {
        self.content = content
        self.tags = tags
        self.metadata = metadata
        self.namespace = namespace
    }
}

/// A sensitive finding outside the content: which field, and the finding type — never the
/// value, nor the metadata key it was under (a key is user text too).
package struct FieldFinding: Sendable, Hashable, Codable {
    /// `tags`, `metadata` or `namespace`.
    package var field: String
    package var type: String

    package init(field: String, type: String) {
        self.field = field
        self.type = type
    }
}
