import Foundation
import TMWSCore
import Testing

@Suite struct RolloutTests {
    /// Values from an independent implementation: Python's `int(sha256(id).hexdigest(), 16) % 100`.
    @Test(arguments: [("ann", 45), ("0b7c2f6e-3f7a-4d2a-9a55-1c2f3e4d5a6b", 78), ("", 49)])
    func theBucketIsSHA256AsAnIntegerModHundred(_ id: String, _ bucket: Int) {
        #expect(Rollout.bucket(of: id) == bucket)
    }

    @Test(arguments: [1, 10, 50, 90])
    func aPercentageLetsInThatShareOfTenThousandUsers(_ percent: Int) {
        let rollout = Rollout(percent: percent)
        // Fixed ids: the share is a fact of the rule, not of a random draw.
        let ids = (0..<10_000).map { "user-\($0)" }
        let share = Double(ids.filter { rollout.decision(for: $0).enabled }.count) / 100
        #expect(abs(share - Double(percent)) <= 1, "\(share) % in for \(percent) %")
    }

    @Test func rollbacksComeFirstThenTheSwitchThenBetaThenTheCanary() {
        let ann = "ann-id"
        let bob = "bob-id"
        var rollout = Rollout(percent: 0, beta: [ann])
        #expect(rollout.decision(for: ann).enabled && rollout.decision(for: ann).reason == "beta user")
        #expect(!rollout.decision(for: bob).enabled && rollout.decision(for: bob).reason.contains("canary bucket"))
        rollout.percent = 100
        #expect(rollout.decision(for: bob).enabled)
        rollout.hybridEnabled = false
        #expect(!rollout.decision(for: ann).enabled && rollout.decision(for: ann).reason == "hybrid mode off on the hub")
        rollout.hybridEnabled = true
        rollout.rolledBack = [ann]
        #expect(!rollout.decision(for: ann).enabled && rollout.decision(for: bob).enabled)
        rollout.rollbackAll = true
        #expect(!rollout.decision(for: bob).enabled && rollout.decision(for: bob).reason == "everyone rolled back on the hub")
    }
}
