import Foundation
import Testing

@testable import TMWSCore

/// The learned scope suggestion: it learns from examples, the deploy gate holds the roadmap's
/// bar, and whatever a model says, the sensitive-data detector decides first.
@Suite struct ScopeModelTests {
    static let global = [
        "In general, prefer small pull requests", "Best practice: pin dependency versions", "Always write the test first",
        "一般的に、小さなプルリクエストが良い", "ベストプラクティス：依存関係のバージョンを固定する", "Prefer composition over inheritance in general",
    ]
    static let project = [
        "The billing service in this repo retries charges", "Our deploy script lives in ops/deploy.sh", "This repo's CI runs on GitHub Actions",
        "このリポジトリの請求サービスは三回再試行する", "デプロイスクリプトは ops/deploy.sh にある", "The staging database of this project is Postgres 15",
    ]

    func examples(_ texts: [String], _ label: MemoryScope, suggested: MemoryScope = .project) -> [ScopeExample] {
        texts.map { ScopeExample(memoryID: nil, label: label, suggested: suggested, source: .correction, features: ScopeFeatures.hashed($0)) }
    }

    @Test func aModelLearnsEnglishAndJapanese() throws {
        let model = ScopeModel.train(examples(Self.global, .global) + examples(Self.project, .project), version: 1)
        #expect(model.labels == [.global, .project])
        #expect(try #require(model.predict(ScopeFeatures.hashed("In general, prefer small functions"))).scope == .global)
        #expect(try #require(model.predict(ScopeFeatures.hashed("このリポジトリのデプロイは ops にある"))).scope == .project)
        // Nothing it knows: an even posterior, under the confidence bar, so the rules decide.
        #expect(model.suggest("zzzz qqqq") == nil)
    }

    @Test func theGateRefusesAWeakModelAndAcceptsAGoodOne() {
        #expect(ScopeTraining.refusal(candidate: 0.94, live: nil, threshold: ScopeTraining.roadmapThreshold) != nil)
        #expect(ScopeTraining.refusal(candidate: 0.95, live: nil, threshold: ScopeTraining.roadmapThreshold) != nil, "above, not at")
        #expect(ScopeTraining.refusal(candidate: 0.97, live: 0.98, threshold: 0.95) != nil, "below the live model")
        #expect(ScopeTraining.refusal(candidate: 0.97, live: 0.96, threshold: 0.95) == nil)
        #expect(ScopeTraining.refusal(candidate: 0.97, live: nil, threshold: 0.95) == nil)
    }

    @Test func theSplitIsStableAndHeldOutIsNeverTrainedOn() {
        let keyed = (0..<500).map { (key: Int64($0), example: examples(["note \($0)"], $0 % 2 == 0 ? .global : .project)[0]) }
        let (train, test) = ScopeTraining.split(keyed)
        #expect(train.count + test.count == 500)
        #expect((70...130).contains(test.count))
        let (_, again) = ScopeTraining.split(keyed + [(key: 9999, example: keyed[0].example)])
        #expect(Set(test.map(\.features)).isSubset(of: Set(again.map(\.features))))
        let evaluation = ScopeEvaluation.score(test) { _ in .global }
        #expect(evaluation.examples == test.count)
        #expect(evaluation.confusion.flatMap { $0 }.reduce(0, +) == test.count)
    }

    /// A model that says GLOBAL for everything (the worst a bug or a poisoned example set could
    /// make) never sends what the detector flags anywhere but PRIVATE.
    @Test func theDetectorWinsOverAnyModel() throws {
        var classifier = ScopeClassifier()
        classifier.model = ScopeModel.train(
            examples(Self.global + Self.project + ["aws key AKIAQ3EGRFOB4NDL3XYZ", "password hunter2-Xk9!pq"], .global), version: 1,
            minimumConfidence: 0)
        let secret = try classifier.classify("the deploy key is AKIAQ3EGRFOB4NDL3XYZ for the billing repo")
        #expect(secret.scope == .private && secret.sensitive)
        #expect(throws: TMWSError.self) { try classifier.classify("password: hunter2-Xk9!pq", explicitScope: .global) }
        let (fields, _) = try classifier.classify(
            MemoryFields(content: "The billing service retries charges", metadata: ["password": .string("hunter2-Xk9!pq")]), explicitScope: nil,
            redact: false)
        #expect(fields.scope == .private && fields.sensitive)
        let plain = try classifier.classify("The billing service in this repo retries charges")
        #expect(plain.automaticScope == .global && plain.reasons.contains { $0.contains("scope model v1") })
    }
}
