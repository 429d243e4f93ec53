import Foundation
import TMWSCore
import Testing

@Suite struct ScopeClassifierTests {
    let classifier = ScopeClassifier()

    @Test func sensitiveContentIsPrivateWhateverElseItSays() throws {
        let result = try classifier.classify("In general, always use parameterized queries. My password is Hunter22!")
        #expect(result.scope == .private)
        #expect(result.automaticScope == .private)
        #expect(result.sensitive)
        #expect(result.confidence == 1)
        #expect(result.findingTypes == ["secret_in_prose"])
        #expect(!result.reasons.joined().contains("Hunter22"))
    }

    @Test func cloudScopesAreRefusedForSensitiveContentNamingOnlyTypes() {
        for scope in [MemoryScope.global, .shared] {
            let error = #expect(throws: TMWSError.self) {
                try classifier.classify("deploy key AKIAQ3EGRFOB4NDL3XYZ", explicitScope: scope)
            }
            #expect(
                error?.message
                    == "\(scope.rawValue) refused: the memory contains sensitive data (aws_access_key_id); use PRIVATE, or redact it (--redact, or \"redact\": true)"
            )
            #expect(error?.message.contains("AKIA") == false)
        }
    }

    @Test func anExplicitLocalScopeStillEndsPrivateForSensitiveContent() throws {
        let result = try classifier.classify("DB_PASSWORD=hunter2x", explicitScope: .project)
        #expect(result.scope == .private)
        #expect(result.warnings == ["asked for PROJECT, stored as PRIVATE: the content is sensitive"])
    }

    @Test func redactionReplacesFindingsAndAllowsTheCloudScope() throws {
        let (result, content) = try classifier.classify(
            "staging uses DB_PASSWORD=hunter2x and key AKIAQ3EGRFOB4NDL3XYZ", explicitScope: .global, redact: true
        )
        #expect(result.scope == .global)
        #expect(result.redacted)
        #expect(content == "staging uses DB_PASSWORD=[REDACTED:secret_assignment] and key [REDACTED:aws_access_key_id]")
        #expect(try classifier.classify(content).sensitive == false)
    }

    @Test func redactionKeepsNonASCIITextAroundFindings() throws {
        let (_, content) = try classifier.classify("パスワードは hunter2 です。東京", explicitScope: .shared, redact: true)
        #expect(content == "パスワードは [REDACTED:secret_in_prose] です。東京")
    }

    @Test func anExplicitSafeScopeIsHonouredWithAWarning() throws {
        let result = try classifier.classify("Lunch is at noon.", explicitScope: .global)
        #expect(result.scope == .global)
        #expect(result.automaticScope == .project)
        #expect(result.overridden)
        #expect(result.warnings == ["stored as GLOBAL as asked; the classifier suggested PROJECT"])
    }

    @Test func whenUnsureTheScopeIsProject() throws {
        for text in ["Lunch is at noon.", "Our workflow is simple.", "workflow", "ワークフローを見直す"] {
            let result = try classifier.classify(text)
            #expect(result.scope == .project, "\(text)")
            #expect(result.knowledgeType == .unknown, "\(text)")
        }
    }

    @Test func projectContextKeepsAMemoryInTheProject() throws {
        let context = ProjectContextDetector.Context(namespace: try Namespace(validating: "github.com-acme-rocket"), repositoryName: "rocket")
        let cases = [
            "In general, always use retries; see Sources/Sync/SyncEngine.swift for ours.",
            "The API runs on localhost:8080 in development.",
            "Traceback (most recent call last):\n  File \"app.py\", line 3",
            "Best practice in general: rocket deploys need two approvals.",
            "```swift\nlet x = 1\n```",
        ]
        for text in cases {
            let result = try classifier.classify(text, context: context)
            #expect(result.scope == .project, "\(text)")
            #expect(result.projectSpecific, "\(text)")
        }
    }

    @Test func markdownBulletsAndHeadingsAreNotCode() throws {
        let result = try classifier.classify("# Deploy notes\n\n- staging first\n- canary at 5 %\n* then production")
        #expect(!result.projectSpecific)
    }

    @Test func strongCuesSendGeneralKnowledgeAndConventionsToTheCloud() throws {
        let universal = try classifier.classify("In general, best practice is to always use parameterized queries in SQL.")
        #expect(universal.scope == .global)
        #expect(universal.knowledgeType == .universal)
        let team = try classifier.classify("Our team convention: PRs must have two reviewers, and we agreed on squash merges.")
        #expect(team.scope == .shared)
        #expect(team.knowledgeType == .teamConvention)
        let japanese = try classifier.classify("チームで合意したコーディング規約：レビューは二人以上。")
        #expect(japanese.knowledgeType == .teamConvention)
    }

    @Test func aDetectorTimeoutFailsClosed() throws {
        let impatient = ScopeClassifier(timeout: .zero)
        let result = try impatient.classify("Lunch is at noon.")
        #expect(result.scope == .private)
        #expect(result.sensitive)
        #expect(throws: TMWSError.self) { try impatient.classify("Lunch is at noon.", explicitScope: .global) }
    }
}
