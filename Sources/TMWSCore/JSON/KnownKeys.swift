/// A JSON object's members checked against the keys an interface knows: a misspelt key
/// (`tagz`, `importnce`) is an error that names it, never silently dropped (MCP's tools
/// already refuse them; REST bodies and import lines do the same).
package enum KnownKeys {
    /// Throws `invalid_input` naming the first member of `object` outside `known`, in the
    /// object's order. Anything but an object is left to the decoder's own error.
    package static func check(_ object: some Collection<UInt8>, known: Set<String>, what: String) throws {
        guard case .object(let members)? = try? JSONReader.parse(object) else { return }
        if let unknown = members.keys.filter({ !known.contains($0) }).sorted().first {
            throw TMWSError(
                .invalidInput, "unknown field '\(unknown.truncatedForMessage)' in \(what) (known: \(known.sorted().joined(separator: ", ")))",
                field: unknown.truncatedForMessage
            )
        }
    }
}
