import Foundation

/// Writes JSON bytes directly, for the hot paths (outbox payloads, export) where
/// `JSONEncoder` dominated the profile. Its output is byte-for-byte what `JSONEncoder.tmws()`
/// writes for the same values (sorted keys, no escaped slashes); a test holds it to that.
package struct JSONWriter {
    package var bytes: [UInt8] = []

    package init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    package mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x00..<0x20:
                raw("\\u00")
                bytes.append(contentsOf: Hex.encode([byte]).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    package mutating func number(_ value: Double) {
        if value.rounded() == value, abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    package mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(key)
                bytes.append(UInt8(ascii: ":"))
                self.value(object[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

/// A value that writes its own JSON, byte for byte what `JSONEncoder.tmws()` would write,
/// for the hot paths (search and list results over REST and MCP).
package protocol JSONBytesEncodable: Encodable {
    func jsonBytes() -> [UInt8]
}

extension JSONWriter {
    /// `"name":` after a comma unless `first`.
    package mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    /// `[…]`, each element written by `element`.
    package mutating func array<Element>(_ items: [Element], _ element: (inout JSONWriter, Element) -> Void) {
        raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { raw(",") }
            element(&self, item)
        }
        raw("]")
    }

    /// A string, or `null`.
    package mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }
}

extension Memory: JSONBytesEncodable {}

extension Provenance {
    /// `{agent, at, device}`, as JSONEncoder writes it.
    package func write(into writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("agent", first: true)
        writer.string(agent)
        writer.key("at")
        writer.string(at)
        writer.key("device")
        writer.string(device)
        writer.raw("}")
    }
}

extension Memory {
    /// The memory's JSON, identical to encoding it with `JSONEncoder.tmws()` but several
    /// times faster.
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: content.utf8.count + 512)
        func key(_ name: StaticString, first: Bool = false) {
            if !first { writer.bytes.append(UInt8(ascii: ",")) }
            writer.bytes.append(UInt8(ascii: "\""))
            writer.raw(name)
            writer.raw("\":")
        }
        func optionalDate(_ date: Date?) {
            if let date { writer.string(ISO8601.string(from: date)) } else { writer.raw("null") }
        }
        writer.bytes.append(UInt8(ascii: "{"))
        key("access_count", first: true)
        writer.integer(accessCount)
        key("accessed_at")
        optionalDate(accessedAt)
        key("agent_id")
        writer.string(agentID)
        key("archived")
        writer.raw(archived ? "true" : "false")
        key("classification")
        if let classification { classification.write(into: &writer) } else { writer.raw("null") }
        key("content")
        writer.string(content)
        key("created_at")
        writer.string(ISO8601.string(from: createdAt))
        key("deleted")
        writer.raw(deleted ? "true" : "false")
        key("expires_at")
        optionalDate(expiresAt)
        key("hlc")
        writer.integer(updatedAt.rawValue)
        key("id")
        writer.string(id.description)
        key("importance")
        writer.number(importance)
        key("metadata")
        writer.value(.object(metadata))
        key("namespace")
        writer.string(namespace.rawValue)
        key("origin_device")
        writer.string(originDevice)
        if pinned {
            key("pinned")
            writer.raw("true")
        }
        if let review, review.isPending {
            key("provenance")
            Provenance(self).write(into: &writer)
        }
        if let review {
            key("review_kinds")
            writer.array(review.kinds) { $0.string($1.rawValue) }
            key("reviewed")
            writer.raw(review.isPending ? "false" : "true")
        }
        key("scope")
        writer.string(scope.rawValue)
        if let supersedes {
            key("supersedes")
            writer.string(supersedes.description)
        }
        key("tags")
        writer.value(.array(tags.map(JSONValue.string)))
        key("team")
        writer.optionalString(team)
        key("tenant_id")
        writer.string(tenantID)
        key("updated_at")
        writer.string(ISO8601.string(from: updatedAt.date))
        key("version")
        writer.integer(version)
        writer.bytes.append(UInt8(ascii: "}"))
        return writer.bytes
    }
}

extension ClassificationRecord: JSONBytesEncodable {
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        write(into: &writer)
        return writer.bytes
    }

    /// Writes the record as `JSONEncoder.tmws()` does (sorted keys).
    func write(into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        writer.key("auto_scope", first: true)
        writer.string(automaticScope.rawValue)
        writer.key("confidence")
        writer.number(confidence)
        writer.key("finding_types")
        writer.array(findingTypes) { $0.string($1) }
        writer.key("knowledge_type")
        writer.string(knowledgeType.rawValue)
        writer.key("overridden")
        writer.raw(overridden ? "true" : "false")
        writer.key("reasons")
        writer.array(reasons) { $0.string($1) }
        writer.key("redacted")
        writer.raw(redacted ? "true" : "false")
        writer.key("warnings")
        writer.array(warnings) { $0.string($1) }
        writer.bytes.append(UInt8(ascii: "}"))
    }
}

extension ChangeEvent: JSONBytesEncodable {
    /// The event's JSON, identical to `JSONEncoder.tmws()`'s (absent optionals are left out,
    /// as the synthesized encoding does).
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: (memory?.content.utf8.count ?? 0) + 512)
        writer.bytes.append(UInt8(ascii: "{"))
        var first = true
        if let baseDevice {
            writer.key("base_device", first: true)
            writer.string(baseDevice)
            first = false
        }
        if let baseClock {
            writer.key("base_hlc", first: first)
            writer.integer(baseClock.rawValue)
            first = false
        }
        if let baseVersion {
            writer.key("base_version", first: first)
            writer.integer(baseVersion)
            first = false
        }
        writer.key("device", first: first)
        writer.string(device)
        writer.key("event_id")
        writer.string(eventID)
        writer.key("hlc")
        writer.integer(clock.rawValue)
        if let memory {
            writer.key("memory")
            memory.write(into: &writer)
        }
        writer.key("memory_id")
        writer.string(memoryID.description)
        writer.key("operation")
        writer.string(operation.rawValue)
        if let sealed {
            writer.key("sealed")
            sealed.write(into: &writer)
        }
        if let team {
            writer.key("team")
            writer.string(team)
        }
        writer.key("v")
        writer.integer(formatVersion)
        if let vector {
            writer.key("vector")
            writer.value(vector.jsonValue)
        }
        writer.key("version")
        writer.integer(version)
        writer.bytes.append(UInt8(ascii: "}"))
        return writer.bytes
    }
}

extension ReplicatedMemory {
    func write(into writer: inout JSONWriter) {
        writer.bytes.append(UInt8(ascii: "{"))
        writer.key("agent_id", first: true)
        writer.string(agentID)
        writer.key("classification")
        if let classification { classification.write(into: &writer) } else { writer.raw("null") }
        writer.key("content")
        writer.string(content)
        writer.key("created_at")
        writer.string(ISO8601.string(from: createdAt))
        writer.key("expires_at")
        writer.optionalString(expiresAt.map(ISO8601.string(from:)))
        writer.key("importance")
        writer.number(importance)
        writer.key("metadata")
        writer.value(.object(metadata))
        writer.key("namespace")
        writer.string(namespace.rawValue)
        // Written only when set, so a memory without them has the bytes it always had.
        if pinned {
            writer.key("pinned")
            writer.raw("true")
        }
        writer.key("scope")
        writer.string(scope.rawValue)
        if let supersedes {
            writer.key("supersedes")
            writer.string(supersedes.description)
        }
        writer.key("tags")
        writer.array(tags) { $0.string($1) }
        writer.key("tenant_id")
        writer.string(tenantID)
        writer.bytes.append(UInt8(ascii: "}"))
    }
}

extension ReplicatedMemory: JSONBytesEncodable {
    /// The fields' JSON (what a SHARED memory's envelope encrypts).
    package func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: content.utf8.count + 256)
        write(into: &writer)
        return writer.bytes
    }
}
