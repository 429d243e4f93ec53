import Foundation
import TMWSCore

/// Queries as FTS5 expressions, over ``SearchText``'s terms (the index text is
/// `SearchText.indexText`).
///
/// English words go through FTS5's Porter stemmer, so `deployment` finds `deployments`
/// and `deploying`. Plain terms keep search cheap: a prefix term makes FTS5 merge the
/// posting lists of every word with that prefix across the whole index (measured: 3.6 ms
/// per query at 100,000 memories before any ranking), so prefixes are used only when asked
/// for with `word*`.
///
/// The index is contentless, so removing a row needs exactly the text it was indexed with:
/// a change to `SearchText.indexText` must bump ``version`` so the store rebuilds the index.
/// (A change to the index's definition in `Schema` rebuilds it too.)
enum FTSText {
    /// The version of the transform the index was built with.
    static let version = "1"

    static func indexText(_ content: String) -> String {
        SearchText.indexText(content)
    }

    /// A query as FTS5 expressions: every term required, and any term enough.
    /// `nil` when the query has no searchable word.
    ///
    /// Terms are quoted, so FTS5 syntax in the query (`AND`, `NEAR`, `:`, `^`) is plain text;
    /// a trailing `*` on a word makes it a prefix search.
    ///
    /// In the "any" form a Japanese or Chinese run is split into its content words, so a
    /// question such as 「バックアップはいつ取る？」 finds the note that says バックアップ … 取得,
    /// ranked by BM25 over the words it shares, while an exact phrase still matches the "all"
    /// form first.
    static func query(_ text: String) -> (all: String, any: String)? {
        let terms = SearchText.terms(text, splittingRuns: false).map(expression)
        guard !terms.isEmpty else { return nil }
        var seen = Set<String>()
        let anyTerms = SearchText.terms(text, splittingRuns: true).map(expression).filter { seen.insert($0).inserted }
        return (terms.joined(separator: " AND "), (anyTerms.isEmpty ? terms : anyTerms).joined(separator: " OR "))
    }

    static func expression(_ term: SearchText.Term) -> String {
        switch term {
        case .word(let word, let prefix):
            let quoted = "\"\(word)\""
            if prefix && word.unicodeScalars.count >= 4 {
                // FTS5 stems the prefix itself (`deploy*` becomes `deploi*`, which misses the
                // stem `deploy` of `deployment`); the prefix one letter shorter covers that.
                let shorter = "\"\(String(String.UnicodeScalarView(word.unicodeScalars.dropLast())))\""
                return "(\(quoted)* OR \(shorter)*)"
            }
            return prefix ? quoted + "*" : quoted
        case .phrase(let bigrams):
            // One character: any bigram it starts.
            if bigrams.count == 1, bigrams[0].unicodeScalars.count == 1 { return "\"\(bigrams[0])\"*" }
            return "\"\(bigrams.joined(separator: " "))\""
        case .bigram(let bigram):
            return "\"\(bigram)\""
        }
    }
}
