import Foundation

/// What kind of knowledge a memory holds, which suggests where it belongs.
package enum KnowledgeType: String, Sendable, Hashable, Codable {
    /// True anywhere (language facts, protocols, general practice): the user's GLOBAL knowledge.
    case universal
    /// How a team works (conventions, review rules): SHARED with the team.
    case teamConvention = "team_convention"
    /// About one project: PROJECT.
    case projectSpecific = "project_specific"
    /// Not enough to tell.
    case unknown
}

/// Classifies memories by English and Japanese cue phrases. One cue is never enough to send
/// a memory to the cloud: a word like "workflow" alone decides nothing.
package struct KnowledgeTypeClassifier: Sendable {
    /// Cues needed before a memory counts as universal or as a team convention. Default 2.
    package var minimumCues: Int

    package init(minimumCues: Int = 2) {
        self.minimumCues = minimumCues
    }

    static let universalCues = [
        "in general", "generally", "best practice", "rule of thumb", "always use", "never use", "by default",
        "the standard library", "standard library", "rfc ", "specification", "the spec", "in swift", "in python",
        "in javascript", "in typescript", "in go,", "in rust", "in sql", "in bash", "posix", "unix", "http/",
        "tls ", "utf-8", "big-o", "algorithm", "time complexity", "design pattern", "language feature", "works in any",
        "applies to every", "regardless of project", "for any project", "across projects", "in every project",
        "一般的に", "原則として", "ベストプラクティス", "どのプロジェクトでも", "常に", "言語仕様", "標準ライブラリ", "仕様では",
        "アルゴリズム", "計算量", "一般論",
    ]

    static let teamCues = [
        "our team", "the team", "team convention", "we always", "we never", "we agreed", "we decided", "we use",
        "our convention", "naming convention", "style guide", "code review", "pull request", "pr must", "prs must",
        "branch naming", "commit message", "on-call", "oncall", "standup", "sprint", "retro", "our process",
        "team rule", "everyone should", "reviewers", "approval", "チームで", "チームの", "規約", "命名規則", "コーディング規約",
        "レビュー", "合意", "取り決め", "ルール", "運用ルール", "スプリント", "当番",
    ]

    /// The knowledge type, the cues that decided it, and a confidence from 0 to 1.
    package func classify(_ text: String, projectReasons: [String]) -> (type: KnowledgeType, cues: [String], confidence: Double) {
        classify(ByteText(text), projectReasons: projectReasons)
    }

    private static let universalCueBytes = universalCues.map { ($0, Array($0.utf8)) }
    private static let teamCueBytes = teamCues.map { ($0, Array($0.utf8)) }

    func classify(_ lower: ByteText, projectReasons: [String]) -> (type: KnowledgeType, cues: [String], confidence: Double) {
        if !projectReasons.isEmpty {
            return (.projectSpecific, projectReasons, min(0.95, 0.7 + 0.1 * Double(projectReasons.count)))
        }
        let universal = Self.universalCueBytes.filter { lower.contains($0.1) }.map(\.0)
        let team = Self.teamCueBytes.filter { lower.contains($0.1) }.map(\.0)
        let best: (KnowledgeType, [String]) = team.count >= universal.count ? (.teamConvention, team) : (.universal, universal)
        guard best.1.count >= minimumCues else {
            return (.unknown, best.1, 0.5)
        }
        return (best.0, best.1, min(0.9, 0.5 + 0.15 * Double(best.1.count)))
    }
}
