import MCP
import TMWSCore

/// Reads a tool call's arguments, with an `invalid_input` error naming the argument at fault.
struct ToolArguments {
    let values: [String: Value]

    init(_ values: [String: Value]?) {
        self.values = values ?? [:]
    }

    private func wrongType(_ key: String, _ expected: String) -> TMWSError {
        TMWSError(.invalidInput, "'\(key)' must be \(expected)", field: key)
    }

    /// Fails on arguments the tool does not define, so a misspelt one is not silently ignored.
    func rejectUnknown(allowed: Set<String>) throws {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw TMWSError(
                .invalidInput, "unknown argument '\(unknown.truncatedForMessage)'; this tool takes \(allowed.sorted().joined(separator: ", "))",
                field: unknown.truncatedForMessage)
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = values[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw TMWSError(.invalidInput, "'\(key)' is required", field: key) }
        return text
    }

    func int(_ key: String) throws -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let number)?: return number
        case .double(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: throw wrongType(key, "an integer")
        }
    }

    func double(_ key: String) throws -> Double? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: throw wrongType(key, "a number")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw wrongType(key, "true or false")
        }
    }

    func strings(_ key: String) throws -> [String]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let text) = item else { throw wrongType(key, "an array of strings") }
                return text
            }
        default: throw wrongType(key, "an array of strings")
        }
    }

    func scope(_ key: String) throws -> MemoryScope? {
        try string(key).map(MemoryScope.init(parsing:))
    }

    func namespace(_ key: String) throws -> Namespace? {
        try string(key).map(Namespace.init(validating:))
    }

    func id(_ key: String) throws -> MemoryID {
        try MemoryID(parsing: requiredString(key))
    }

    func object(_ key: String) throws -> [String: JSONValue]? {
        switch values[key] {
        case nil, .null?: return nil
        case .object(let object)?: return try object.mapValues(Self.json)
        default: throw wrongType(key, "an object")
        }
    }

    static func json(_ value: Value) throws -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .number(Double(number))
        case .double(let number): .number(number)
        case .string(let text): .string(text)
        case .array(let items): .array(try items.map(json))
        case .object(let object): .object(try object.mapValues(json))
        case .data: throw TMWSError(.invalidInput, "binary data is not allowed in metadata", field: "metadata")
        }
    }
}
