/// Where a search looks when hybrid mode is on (roadmap §1.2). With hybrid mode off, or a
/// node not enrolled, every strategy is local.
package enum SearchStrategy: String, Sendable, Hashable, CaseIterable, Codable {
    /// The local store; the hub only when it can add something: the local store finds fewer
    /// than asked for and the node has not pulled the tenant's GLOBAL memories lately.
    case localFirst = "local_first"
    /// The hub first; local results fill in, and stand in when the hub is slow or down.
    case cloudFirst = "cloud_first"
    /// Both at once, merged by score.
    case hybrid

    package init(parsing text: String) throws {
        guard let strategy = SearchStrategy(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw TMWSError(
                .invalidInput, "unknown search strategy '\(text.prefix(40))': use local_first, cloud_first or hybrid", field: "strategy"
            )
        }
        self = strategy
    }
}
