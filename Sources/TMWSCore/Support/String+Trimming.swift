extension StringProtocol {
    /// The text without leading and trailing Unicode white space.
    ///
    /// Foundation's `trimmingCharacters(in:)` bridges through `NSString` on Linux and was a
    /// measurable share of import time; this stays in the standard library.
    package var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
