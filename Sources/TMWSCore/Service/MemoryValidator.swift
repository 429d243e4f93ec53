import Foundation

/// Checks raw input against ``MemoryLimits`` and turns it into drafts and patches.
///
/// Every error names the field and the rule, never the content.
package struct MemoryValidator: Sendable {
    package var limits: MemoryLimits

    package init(limits: MemoryLimits = MemoryLimits()) {
        self.limits = limits
    }

    /// Content must be non-blank, free of NUL characters and within the length limit.
    package func validateContent(_ content: String) throws -> String {
        if content.unicodeScalars.contains("\u{0}") {
            throw TMWSError.invalid("content", "content contains a NUL character")
        }
        if content.allSatisfy({ $0.isWhitespace }) {
            throw TMWSError.invalid("content", "content is empty or only whitespace")
        }
        // A character can hold any number of combining marks: bytes are bounded too (four a
        // character on average, what the widest characters take), so no memory is megabytes.
        if content.utf8.count > limits.maximumContentLength * 4 {
            throw TMWSError.invalid(
                "content", "content is \(content.utf8.count) bytes of UTF-8; the limit is \(limits.maximumContentLength * 4) (4 × memory.max_content_chars)"
            )
        }
        // Counting characters walks the string, so compare bytes first: a string never has
        // more characters than UTF-8 bytes.
        if content.utf8.count > limits.maximumContentLength, content.count > limits.maximumContentLength {
            throw TMWSError.invalid(
                "content",
                "content is \(content.count) characters long; the limit is \(limits.maximumContentLength) (memory.max_content_chars)"
            )
        }
        return content
    }

    /// Importance must be a number from 0 to 1.
    package func validateImportance(_ importance: Double) throws -> Double {
        guard importance.isFinite, MemoryLimits.importance.contains(importance) else {
            throw TMWSError.invalid("importance", "importance must be between 0 and 1, got \(importance)")
        }
        return importance
    }

    /// A TTL is a whole number of days from 1 to 3650; returns the expiry instant.
    package func expiry(ttlDays: Int, from now: Date) throws -> Date {
        guard MemoryLimits.ttlDays.contains(ttlDays) else {
            throw TMWSError.invalid("ttl_days", "ttl_days must be between 1 and 3650, got \(ttlDays)")
        }
        return now.addingTimeInterval(Double(ttlDays) * 86_400)
    }

    /// Tags are trimmed, de-duplicated and sorted; each must be 1–64 printable characters
    /// without commas, and there may be at most 32.
    package func validateTags(_ tags: [String]) throws -> [String] {
        var unique = Set<String>()
        for raw in tags {
            let tag = raw.trimmedWhitespace
            if tag.isEmpty {
                throw TMWSError.invalid("tags", "a tag is empty")
            }
            if tag.count > limits.maximumTagLength {
                throw TMWSError.invalid("tags", "a tag is longer than \(limits.maximumTagLength) characters")
            }
            if tag.unicodeScalars.contains(where: { $0.properties.generalCategory.isControl || $0 == "," }) {
                throw TMWSError.invalid("tags", "a tag contains a comma or a control character")
            }
            unique.insert(tag)
        }
        if unique.count > limits.maximumTagCount {
            throw TMWSError.invalid("tags", "at most \(limits.maximumTagCount) tags are allowed, got \(unique.count)")
        }
        return unique.sorted()
    }

    /// Metadata must encode to at most 16 KiB of JSON and hold no NUL characters.
    package func validateMetadata(_ metadata: [String: JSONValue]) throws -> [String: JSONValue] {
        if metadata.isEmpty { return metadata }
        if JSONValue.object(metadata).containsNUL {
            throw TMWSError.invalid("metadata", "metadata contains a NUL character")
        }
        let size = (try? JSONEncoder().encode(metadata).count) ?? Int.max
        if size > limits.maximumMetadataBytes {
            throw TMWSError.invalid("metadata", "metadata is \(size) bytes as JSON; the limit is \(limits.maximumMetadataBytes)")
        }
        return metadata
    }

    /// A creation date (an import keeps it) must lie between 1970 and the end of 9999, the
    /// range every replica and the hub can hold (``EventBounds/dates``).
    package func validateDate(created date: Date) throws -> Date {
        guard EventBounds.dates.contains(date) else {
            throw TMWSError.invalid("created_at", "created_at must be between 1970-01-01 and 9999-12-31")
        }
        return date
    }

    /// Builds a draft from raw input, checking every field.
    ///
    /// - Throws: `TMWSError` (`invalid_input`) for the first field that breaks a rule.
    package func draft(
        content: String, scope: MemoryScope, namespace: Namespace, tags: [String] = [],
        importance: Double = 0.5, ttlDays: Int? = nil, metadata: [String: JSONValue] = [:],
        id: MemoryID? = nil, createdAt: Date? = nil, now: Date
    ) throws -> MemoryDraft {
        MemoryDraft(
            id: id,
            namespace: namespace,
            scope: scope,
            content: try validateContent(content),
            tags: try validateTags(tags),
            importance: try validateImportance(importance),
            metadata: try validateMetadata(metadata),
            createdAt: try createdAt.map(validateDate(created:)),
            expiresAt: try ttlDays.map { try expiry(ttlDays: $0, from: now) }
        )
    }
}
