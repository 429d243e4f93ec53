import TMWSCore

// Search and list results are the MCP tools' hot path: written straight to bytes, the same
// bytes JSONEncoder would write (a test compares them).
extension MemoryTools.Summary: JSONBytesEncodable {
    func write(to writer: inout JSONWriter) {
        writer.raw("{")
        if compact {
            writer.key("first_line", first: true)
            writer.string(content)
            if let foundBy {
                writer.key("found_by")
                writer.value(.array(foundBy.map(JSONValue.string)))
            }
            writer.key("id")
            writer.string(id.description)
            writeReview(to: &writer)
            writer.key("scope")
            writer.string(scope.rawValue)
            if let score {
                writer.key("score")
                writer.number(score)
            }
            writer.raw("}")
            return
        }
        writer.key("content", first: true)
        writer.string(content)
        if let foundBy {
            writer.key("found_by")
            writer.value(.array(foundBy.map(JSONValue.string)))
        }
        writer.key("id")
        writer.string(id.description)
        writer.key("importance")
        writer.number(importance)
        writer.key("namespace")
        writer.string(namespace.rawValue)
        writeReview(to: &writer)
        writer.key("scope")
        writer.string(scope.rawValue)
        if let score {
            writer.key("score")
            writer.number(score)
        }
        if let similarity {
            writer.key("similarity")
            writer.number(similarity)
        }
        writer.key("tags")
        writer.value(.array(tags.map(JSONValue.string)))
        writer.key("updated_at")
        writer.string(updatedAt)
        writer.key("version")
        writer.integer(version)
        writer.raw("}")
    }

    /// `provenance` and `reviewed`, between `namespace`/`id` and `scope` in key order.
    private func writeReview(to writer: inout JSONWriter) {
        if let provenance {
            writer.key("provenance")
            provenance.write(into: &writer)
        }
        if let reviewed {
            writer.key("reviewed")
            writer.raw(reviewed ? "true" : "false")
        }
    }

    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }
}

extension MemoryTools.SearchResult: JSONBytesEncodable {
    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 512 * max(1, results.count))
        writer.raw("{")
        writer.budget(budget, then: "count")
        writer.integer(count)
        writer.key("mode")
        writer.string(mode.rawValue)
        if let note {
            writer.key("note")
            writer.string(note)
        }
        if let pendingEmbeddings {
            writer.key("pending_embeddings")
            writer.integer(pendingEmbeddings)
        }
        writer.key("results")
        writer.array(results) { writer, summary in summary.write(to: &writer) }
        writer.raw("}")
        return writer.bytes
    }
}

extension MemoryTools.ListResult: JSONBytesEncodable {
    func jsonBytes() -> [UInt8] {
        var writer = JSONWriter(capacity: 512 * max(1, memories.count))
        writer.raw("{")
        writer.budget(budget, then: "count")
        writer.integer(count)
        writer.key("memories")
        writer.array(memories) { writer, summary in summary.write(to: &writer) }
        writer.key("next_cursor")
        writer.optionalString(nextCursor)
        writer.raw("}")
        return writer.bytes
    }
}
