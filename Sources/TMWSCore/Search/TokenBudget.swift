/// An answer's token budget (`max_tokens` on search and list): the best results that fit,
/// in rank order, each costed as the agent will read it (its JSON, by ``TokenEstimate``).
///
/// The first result is never dropped: when it alone is too long its content is cut, with
/// ``marker`` at the end, to what the budget leaves. A later result that does not fit whole is
/// cut the same way when at least ``minimumContent`` tokens of room are left, and ends the
/// answer; the rest are counted as omitted. Nothing is skipped to make room for a lower one.
package struct TokenBudget: Sendable, Hashable {
    package static let range = 200...1_000_000
    /// Appended to a cut content.
    package static let marker = "…[trimmed]"
    /// The least content worth showing of a result that is cut.
    package static let minimumContent = 32

    package let maxTokens: Int

    package init(maxTokens: Int) throws {
        guard Self.range.contains(maxTokens) else {
            throw TMWSError(.invalidInput, "max_tokens must be \(Self.range.lowerBound) to \(Self.range.upperBound)", field: "max_tokens")
        }
        self.maxTokens = maxTokens
    }

    /// What fitted.
    package struct Fitted<Item> {
        package var items: [Item]
        /// Results left out (after the last one kept).
        package var omitted: Int
        /// Results kept with their content cut.
        package var trimmed: Int
        /// The estimated tokens of the kept results and `reserved`.
        package var tokens: Int
    }

    /// - Parameters:
    ///   - reserved: tokens of the answer around the results (its other fields).
    ///   - cost: an item's tokens as rendered.
    ///   - content: the text that may be cut.
    package func fit<Item>(
        _ items: [Item], reserved: Int, cost: (Item) -> Int, content: WritableKeyPath<Item, String>
    ) -> Fitted<Item> {
        var kept: [Item] = []
        var used = reserved
        var trimmed = 0
        for item in items {
            let whole = cost(item)
            if used + whole <= maxTokens {
                kept.append(item)
                used += whole
                continue
            }
            var cut = item
            cut[keyPath: content] = Self.marker
            let room = maxTokens - used - cost(cut)
            if room >= Self.minimumContent || kept.isEmpty {
                // The longest start whose rendering fits (escapes in JSON cost tokens too).
                let characters = Array(item[keyPath: content])
                var (low, high) = (0, characters.count)
                while low < high {
                    let middle = (low + high + 1) / 2
                    cut[keyPath: content] = String(characters[..<middle]) + Self.marker
                    if used + cost(cut) <= maxTokens { low = middle } else { high = middle - 1 }
                }
                cut[keyPath: content] = String(characters[..<low]) + Self.marker
                kept.append(cut)
                used += cost(cut)
                trimmed += 1
            }
            break
        }
        return Fitted(items: kept, omitted: items.count - kept.count, trimmed: trimmed, tokens: used)
    }

    /// Fits `items` into an answer: `envelope` is the answer written without them (the
    /// budget's own report is reserved on top), `write` writes one item as the answer does.
    package func fit<Item>(
        _ items: [Item], envelope: [UInt8], write: (Item, inout JSONWriter) -> Void, content: WritableKeyPath<Item, String>
    ) -> Fitted<Item> {
        fit(
            items, reserved: Self.tokens(envelope) + BudgetReport.reserve,
            cost: { item in
                var writer = JSONWriter()
                write(item, &writer)
                // And the comma between items.
                return Self.tokens(writer.bytes) + 1
            }, content: content)
    }

    /// The estimated tokens of JSON text.
    package static func tokens(_ json: [UInt8]) -> Int {
        TokenEstimate.count(String(decoding: json, as: UTF8.self))
    }

    /// The longest start of `text` (whole characters) estimated at most `tokens`, with
    /// ``marker``; `text` itself when it fits.
    package static func trim(_ text: String, to tokens: Int) -> String {
        if TokenEstimate.count(text) <= tokens { return text }
        let characters = Array(text)
        var (low, high) = (0, characters.count)
        // The estimate grows with the prefix (a word's cost never falls as it lengthens).
        while low < high {
            let middle = (low + high + 1) / 2
            if TokenEstimate.count(String(characters[..<middle])) <= tokens { low = middle } else { high = middle - 1 }
        }
        return String(characters[..<low]) + marker
    }

    /// The first line of `text`, at most `characters` long (with "…" when cut): the compact form.
    package static func firstLine(_ text: String, characters: Int = 120) -> String {
        let line = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > characters ? String(line.prefix(characters - 1)) + "…" : line
    }
}

/// What a budget did to an answer: `{max_tokens, estimated_tokens, omitted, trimmed, hint?}`,
/// the `budget` field of a search or list answer asked with `max_tokens`.
package struct BudgetReport: Encodable, Sendable, Hashable {
    /// Tokens kept for the report itself (with both hints it costs about 93).
    static let reserve = 100

    package var maxTokens: Int
    package var estimatedTokens: Int
    package var omitted: Int
    package var trimmed: Int
    /// How to get what was left out; `nil` when nothing was.
    package var hint: String?

    enum CodingKeys: String, CodingKey {
        case omitted, trimmed, hint
        case maxTokens = "max_tokens"
        case estimatedTokens = "estimated_tokens"
    }

    /// - Parameter paged: the answer has a next page to continue from (a list).
    package init<Item>(_ budget: TokenBudget, _ fitted: TokenBudget.Fitted<Item>, paged: Bool) {
        maxTokens = budget.maxTokens
        estimatedTokens = fitted.tokens
        omitted = fitted.omitted
        trimmed = fitted.trimmed
        var advice: [String] = []
        if fitted.omitted > 0 {
            advice.append(
                "\(fitted.omitted) more result\(fitted.omitted == 1 ? "" : "s") did not fit in max_tokens \(budget.maxTokens): "
                    + (paged ? "pass next_cursor for the next page, " : "") + "raise max_tokens, or ask with compact for id, scope and first line only")
        }
        if fitted.trimmed > 0 { advice.append("content ending in \(TokenBudget.marker) was cut: get the memory by its id for all of it") }
        hint = advice.isEmpty ? nil : advice.joined(separator: "; ")
    }

    package func write(to writer: inout JSONWriter) {
        writer.raw("{")
        writer.key("estimated_tokens", first: true)
        writer.integer(estimatedTokens)
        if let hint {
            writer.key("hint")
            writer.string(hint)
        }
        writer.key("max_tokens")
        writer.integer(maxTokens)
        writer.key("omitted")
        writer.integer(omitted)
        writer.key("trimmed")
        writer.integer(trimmed)
        writer.raw("}")
    }
}

extension JSONWriter {
    /// Opens an answer's fields: `budget` first when there is one (the keys are sorted), then
    /// the key `next`.
    package mutating func budget(_ budget: BudgetReport?, then next: StaticString) {
        guard let budget else { return key(next, first: true) }
        key("budget", first: true)
        budget.write(to: &self)
        key(next)
    }
}
