extension ScopeClassifier {
    /// Classifies a whole memory: its content as ``classify(_:explicitScope:redact:context:)``
    /// does, and its tags and metadata (keys and values, at any depth) with the same detector
    /// and the same rules. A secret in any field makes the memory PRIVATE; with an explicit
    /// cloud scope the write is refused, or with `redact` every finding in every field is
    /// replaced by `[REDACTED:type]` and the result is checked again before it is accepted.
    ///
    /// - Returns: the classification and the fields to store (redacted or not).
    /// - Throws: `TMWSError` (`invalid_input`, field `scope`) for sensitive data bound for a
    ///   cloud scope; the message names finding types only.
    package func classify(
        _ fields: MemoryFields, explicitScope: MemoryScope?, redact: Bool, context: ProjectContextDetector.Context = .init()
    ) throws -> (classification: ScopeClassification, fields: MemoryFields) {
        let fieldFindings = scanFields(fields)
        guard !fieldFindings.isEmpty else {
            let (classification, content) = try classify(fields.content, explicitScope: explicitScope, redact: redact, context: context)
            var result = fields
            result.content = content
            return (classification, result)
        }
        let fieldTypes = Array(Set(fieldFindings.map(\.type))).sorted()
        if let explicitScope, explicitScope.isCloud {
            let contentTypes = Set(detector.scan(fields.content).map(\.type))
            let refusal = Self.refusal(types: Array(contentTypes.union(fieldTypes)).sorted(), scope: explicitScope, timedOut: false)
            guard redact else { throw refusal }
            var redacted = fields
            redacted.tags = fields.tags.map { tag in Self.redact(tag, findings: detector.scan(tag)) }
            redacted.metadata = redactMetadata(fields.metadata)
            // What redaction left behind (a secret split across keys and values) never leaves.
            guard scanFields(redacted).isEmpty else { throw refusal }
            var (classification, content) = try classify(fields.content, explicitScope: explicitScope, redact: true, context: context)
            redacted.content = content
            classification.fieldFindings = fieldFindings
            if !classification.redacted {
                classification.redacted = true
                classification.reasons.insert("redacted \(fieldTypes.count) kind(s) of sensitive data in tags or metadata before storing", at: 0)
            }
            return (classification, redacted)
        }
        // Local scopes: the memory is sensitive, so it is PRIVATE, whatever else it is.
        var classification = try classify(fields.content, explicitScope: nil, context: context)
        classification.fieldFindings = fieldFindings
        classification.sensitive = true
        classification.automaticScope = .private
        classification.scope = .private
        classification.confidence = 1
        classification.reasons.insert("tags, metadata or namespace contain sensitive data: \(fieldTypes.joined(separator: ", "))", at: 0)
        if let explicitScope, explicitScope != .private {
            classification.warnings.append("asked for \(explicitScope.rawValue), stored as PRIVATE: the memory holds sensitive data")
        }
        return (classification, fields)
    }

    /// Findings in tags (each on its own), metadata (each value with its key, as `key: value`)
    /// and the namespace.
    func scanFields(_ fields: MemoryFields) -> [FieldFinding] {
        let (tags, metadata) = (fields.tags, fields.metadata)
        var findings: [FieldFinding] = []
        if let namespace = fields.namespace {
            findings += detector.scan(namespace).map { FieldFinding(field: "namespace", type: $0.type) }
        }
        if !tags.isEmpty {
            findings += detector.scan(tags.joined(separator: "\n")).map { FieldFinding(field: "tags", type: $0.type) }
        }
        if !metadata.isEmpty {
            var lines: [String] = []
            Self.appendLines(of: .object(metadata), key: nil, to: &lines)
            findings += detector.scan(lines.joined(separator: "\n")).map { FieldFinding(field: "metadata", type: $0.type) }
        }
        var seen = Set<FieldFinding>()
        return findings.filter { seen.insert($0).inserted }
    }

    /// One `key: value` line per leaf, and each key on its own line, so assignments
    /// (`"password": "…"`) are seen as they would be in a configuration file.
    private static func appendLines(of value: JSONValue, key: String?, to lines: inout [String]) {
        let prefix = key.map { $0 + ": " } ?? ""
        switch value {
        case .object(let object):
            for (name, child) in object.sorted(by: { $0.key < $1.key }) {
                lines.append(name)
                appendLines(of: child, key: name, to: &lines)
            }
        case .array(let items):
            for item in items { appendLines(of: item, key: key, to: &lines) }
        case .string(let text): lines.append(prefix + text)
        case .number: lines.append(prefix + (leafText(value) ?? ""))
        case .bool, .null: break
        }
    }

    /// A number as a person would write it (`4111111111111111`, not `4.111111111111111e15`).
    private static func leafText(_ value: JSONValue) -> String? {
        guard case .number(let number) = value else { return nil }
        if number.rounded() == number, abs(number) < 1e18 { return String(Int64(number)) }
        return String(number)
    }

    /// The metadata with every finding replaced: inside a value, the finding's characters;
    /// a key that is itself sensitive, the key; a number that is, the whole number.
    func redactMetadata(_ metadata: [String: JSONValue]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in metadata {
            var newKey = key
            let keyFindings = detector.scan(key)
            if !keyFindings.isEmpty {
                newKey = Self.redact(key, findings: keyFindings)
                var suffix = 2
                while result[newKey] != nil || (newKey != key && metadata[newKey] != nil) {
                    newKey = Self.redact(key, findings: keyFindings) + "#\(suffix)"
                    suffix += 1
                }
            }
            result[newKey] = redactValue(value, key: key)
        }
        return result
    }

    private func redactValue(_ value: JSONValue, key: String) -> JSONValue {
        switch value {
        case .object(let object): return .object(redactMetadata(object))
        case .array(let items): return .array(items.map { redactValue($0, key: key) })
        case .bool, .null: return value
        case .string, .number:
            let text: String
            if case .string(let string) = value { text = string } else { text = Self.leafText(value) ?? "" }
            // The value is scanned with its key, so `password: hunter2` is a secret.
            let prefix = key + ": "
            let offset = prefix.unicodeScalars.count
            let findings = detector.scan(prefix + text)
            guard !findings.isEmpty else { return value }
            if case .number = value { return .string("[REDACTED:\(findings[0].type)]") }
            let inValue = findings.filter { $0.start >= offset }
            guard inValue.count == findings.count else {
                // A finding that starts in the key covers the whole value.
                return .string("[REDACTED:\(findings[0].type)]")
            }
            let shifted = inValue.map {
                SensitiveFinding(type: $0.type, tier: $0.tier, start: $0.start - offset, end: $0.end - offset, structure: $0.structure, rule: $0.rule)
            }
            return .string(Self.redact(text, findings: shifted))
        }
    }
}
