import Foundation
import Testing

@testable import TMWSCore

/// The estimate's rules and the budget's choices; the estimate against a real BPE tokenizer
/// is Tests/e2e/test_tokens.py.
@Suite struct TokenBudgetTests {
    @Test func theEstimateCountsWordsDigitsPunctuationAndCJKAtTheirRates() {
        #expect(TokenEstimate.count("") == 0)
        #expect(TokenEstimate.count("the cat and the dog") == 5)
        // A long word costs more than a short one; a number by groups of three digits.
        #expect(TokenEstimate.count("internationalization") > TokenEstimate.count("deploy"))
        #expect(TokenEstimate.count("1234567") == 3)
        // Each script at its rate.
        let japanese = "デプロイの手順は？"
        let rates: Double = 4 * 1.0 + 1.2 + 2 * 1.4 + 1.2 + 1  // katakana, の, kanji, は, ？
        #expect(TokenEstimate.count(japanese) == Int(rates.rounded(.up)))
        #expect(TokenEstimate.count("部署流程") == Int((4 * 1.4).rounded(.up)))
        #expect(TokenEstimate.count("🙂🙂") == 4)
        #expect(TokenEstimate.count("Привет") == 3)
    }

    @Test func trimmingKeepsWholeCharactersWithinTheTokensAndMarksTheCut() {
        let text = String(repeating: "verify the canary pool ", count: 50) + "末尾の確認"
        let cut = TokenBudget.trim(text, to: 40)
        #expect(cut.hasSuffix(TokenBudget.marker) && TokenEstimate.count(String(cut.dropLast(TokenBudget.marker.count))) <= 40)
        #expect(TokenBudget.trim("short", to: 40) == "short")
        #expect(TokenBudget.firstLine("first line\nsecond") == "first line")
        #expect(TokenBudget.firstLine(String(repeating: "x", count: 300)).count == 120)
    }

    struct Item {
        var content: String
    }

    @Test func theBestHitIsCutRatherThanDroppedAndTheRestAreCounted() throws {
        let budget = try TokenBudget(maxTokens: 200)
        let cost = { (item: Item) in TokenEstimate.count(item.content) + 5 }
        let small = (0..<20).map { Item(content: "note \($0) about deploys") }
        let fitted = budget.fit(small, reserved: 110, cost: cost, content: \.content)
        #expect(fitted.items.count == 9 && fitted.omitted == 11 && fitted.trimmed == 0 && fitted.tokens <= 200)
        // The first is far too long: cut to what is left, not dropped; nothing after it.
        let long = [Item(content: String(repeating: "word ", count: 500))] + small
        let first = budget.fit(long, reserved: 110, cost: cost, content: \.content)
        #expect(first.items.count == 1 && first.trimmed == 1 && first.omitted == 20)
        #expect(first.items[0].content.hasSuffix(TokenBudget.marker) && first.tokens <= 200)
        // A later long one is cut only when enough room is left for it to say something.
        let later = budget.fit(Array(small.prefix(8)) + [long[0]], reserved: 110, cost: cost, content: \.content)
        #expect(later.items.count == 8 && later.omitted == 1 && later.trimmed == 0)
        let report = BudgetReport(budget, first, paged: false)
        #expect(report.omitted == 20 && report.hint?.contains("20 more results") == true && report.hint?.contains("trimmed") == true)
        #expect(BudgetReport(budget, budget.fit(Array(small.prefix(2)), reserved: 0, cost: cost, content: \.content), paged: false).hint == nil)
    }

    @Test func aBudgetOutsideItsRangeIsRefused() {
        #expect(throws: TMWSError.self) { try TokenBudget(maxTokens: 199) }
        #expect(throws: TMWSError.self) { try TokenBudget(maxTokens: 1_000_001) }
    }
}
