import Foundation

/// Finds secrets and personal data in a text, in three tiers (DESIGN §4): distinctive
/// credential formats, structural secrets, and a prose net in English and Japanese; plus
/// personal data. It is pure computation: nothing is ever sent anywhere to verify a candidate.
///
/// The text is normalised first (NFKC, invisible characters removed), and base64, hex and
/// percent-encoded segments are decoded and scanned again, so an encoded secret is found
/// too. Findings carry a type and a range in the original text, never the value.
package struct SensitiveDataDetector: Sendable {
    /// How many times encoded segments inside encoded segments are decoded. Default 8: a
    /// secret base64-encoded five times over is still found, with levels to spare; each level
    /// is a third shorter than the one around it, so the depth costs little.
    package var maximumDecodeDepth: Int

    package init(maximumDecodeDepth: Int = 8) {
        self.maximumDecodeDepth = maximumDecodeDepth
    }

    /// Every regular-expression rule, tier 1 first.
    static let rules: [PatternRule] =
        CredentialFormat.all.map(PatternRule.init) + PatternRule.structural
        + PatternRule.prose + PatternRule.personal

    /// Every rule written as code: whole key blocks, generic and entropy nets.
    static let scanners: [ScannerRule] = PrivateKeyBlocks.rules + GenericSecretRules.rules

    /// The types whose values the judge's negatives also apply to (not the formats: their
    /// own validation and examples list decide).
    static let judgedTypes: Set<String> = [
        "secret_assignment", "secret_in_prose", "secret_after_cue", "high_entropy_string", "vendor_token", "url_query_secret",
        "authorization_header", "command_line_password", "credential_pair",
    ]

    /// The nets that catch what no specific rule names; reported only where no specific rule is.
    static let genericTypes: Set<String> = ["secret_after_cue", "vendor_token", "high_entropy_string"]

    /// The finding types the detector can report.
    package static var findingTypes: [String] {
        var seen = Set<String>()
        return (rules.map(\.type) + scanners.map(\.type) + ["encoded_credentials", "wallet_private_key"]).filter { seen.insert($0).inserted }
    }

    /// Scans a text.
    package func scan(_ text: String) -> [SensitiveFinding] {
        let normalized = NormalizedText(text)
        return scan(normalized, bytes: ByteText(normalized.text))
    }

    /// Scans an already normalised text whose bytes were already prepared.
    func scan(_ normalized: NormalizedText, bytes: ByteText) -> [SensitiveFinding] {
        var raw = scan(normalized.text, bytes: bytes, depth: 0)
        // The same type over the same range once: the structure parser's finding first, as it
        // names the structure more precisely than an older rule's type does.
        raw.sort { ($0.range.location, $0.range.length, $0.type, $0.priority) < ($1.range.location, $1.range.length, $1.type, $1.priority) }
        var findings: [SensitiveFinding] = []
        // (Keyed after mapping: two ranges of the normalised text can map to one of the original.)
        var seen = Set<String>()
        for found in raw {
            let range = normalized.originalRange(found.range)
            guard seen.insert("\(range.start):\(range.end):\(found.type)").inserted else { continue }
            findings.append(
                SensitiveFinding(type: found.type, tier: found.tier, start: range.start, end: range.end, structure: found.structure, rule: found.rule))
        }
        findings.sort { ($0.start, $0.end, $0.type) < ($1.start, $1.end, $1.type) }
        return findings
    }

    /// A finding in the scanned (normalised or decoded) text, as a UTF-16 range.
    struct RawFinding {
        var type: String
        var tier: SensitiveFinding.Tier
        var range: NSRange
        var structure: String
        var rule: String
        /// Lower first among findings of one type and range: 0 for the structure parser's.
        var priority: Int = 1
    }

    /// Each regular-expression rule's name in findings: its type, and its place among the
    /// rules of that type when there are several (`secret_in_prose#3`).
    static let ruleNames: [String] = rules.enumerated().map { position, rule in
        if rule.tier == .credential { return "format:" + rule.type }
        let sameType = rules[..<position].filter { $0.type == rule.type }.count
        return sameType == 0 ? rule.type : "\(rule.type)#\(sameType)"
    }

    func scan(_ text: String, bytes lowered: ByteText, depth: Int) -> [RawFinding] {
        let nsText = text as NSString
        let whole = NSRange(location: 0, length: nsText.length)
        var findings: [RawFinding] = []
        for (position, rule) in Self.rules.enumerated() where rule.mayMatch(lowered) {
            let matches = rule.ranges(in: lowered, length: whole.length).flatMap {
                rule.regex.matches(in: text, options: [.withTransparentBounds, .withoutAnchoringBounds], range: $0)
            }
            let structure = TextStructure.of(type: rule.type, tier: rule.tier).rawValue
            for match in matches {
                guard let valueRange = Self.valueRange(of: match, for: rule) else { continue }
                let value = nsText.substring(with: valueRange)
                if let acceptKey = rule.acceptKey, match.range(at: 1).location != NSNotFound,
                    !acceptKey(nsText.substring(with: match.range(at: 1)))
                {
                    continue
                }
                guard rule.accept(value) else { continue }
                findings.append(RawFinding(type: rule.type, tier: rule.tier, range: valueRange, structure: structure, rule: Self.ruleNames[position]))
            }
        }
        let scanText = ScanText(text, lowered: lowered)
        for scanner in Self.scanners {
            let structure = TextStructure.of(type: scanner.type, tier: scanner.tier).rawValue
            for range in scanner.find(scanText) {
                findings.append(
                    RawFinding(type: scanner.type, tier: scanner.tier, range: scanText.utf16Range(range), structure: structure, rule: "scanner:" + scanner.type)
                )
            }
        }
        for range in SplitTokens.find(scanText) {
            findings.append(
                RawFinding(type: range.type, tier: .credential, range: scanText.utf16Range(range.range), structure: "token", rule: "split-token:" + range.type))
        }
        // Parse, then judge: every key/value structure and prose cue, whatever its format.
        for candidate in StructureParser.candidates(scanText) + ProseCues.candidates(scanText) {
            guard let verdict = SecretJudge.judge(candidate, in: scanText) else { continue }
            findings.append(
                RawFinding(
                    type: verdict.type, tier: verdict.tier, range: scanText.utf16Range(verdict.range), structure: candidate.structure.rawValue,
                    rule: verdict.rule, priority: 0))
        }
        for found in WalletKeys.find(scanText) + LabelledNumbers.find(scanText) {
            findings.append(
                RawFinding(type: found.type, tier: found.tier, range: scanText.utf16Range(found.range), structure: found.structure.rawValue, rule: found.rule))
        }
        // A generic net's finding inside a specific rule's is the same secret twice.
        // (The structure parser's findings do not count: the older nets keep reporting as before.)
        let specific = findings.filter { !Self.genericTypes.contains($0.type) && $0.priority != 0 }.map(\.range)
        if !specific.isEmpty {
            findings.removeAll { finding in
                Self.genericTypes.contains(finding.type) && specific.contains { NSIntersectionRange($0, finding.range).length > 0 }
            }
        }
        if !findings.isEmpty {
            // A value cut short by a rule's length bound still ends where the secret ends.
            let units = Array(text.utf16)
            for index in findings.indices where findings[index].tier == .structural || findings[index].tier == .prose {
                findings[index].range = FindingExtent.extend(findings[index].range, in: units)
            }
            // The judge's negatives hold for the older rules' values too: a reference, a template,
            // a public value, or a value whose key names something public (`PublicKey = …`).
            let mayNamePublicKey = lowered.contains(Array("pub".utf8)) || lowered.contains(Array("公".utf8)) || lowered.contains(Array("공개".utf8))
            findings.removeAll { finding in
                guard finding.priority != 0, Self.judgedTypes.contains(finding.type), finding.range.length > 0 else { return false }
                let value = nsText.substring(with: finding.range)
                if finding.tier == .prose, SecretJudge.proseStops.contains(value.trimmingQuotes.lowercased()) || SecretJudge.isCodeIdentifier(value) {
                    return true
                }
                if ProseStopValues.isQuantity(value.trimmingQuotes) || mayNamePublicKey && SecretJudge.followsPublicKeyLabel(finding.range, in: units) {
                    return true
                }
                if finding.tier != .credential, finding.type != "high_entropy_string", finding.type != "vendor_token", !AssignedValue.isSecretLike(value) {
                    return true
                }
                // A parameter's type (`credentials: Credentials)`): an upper-case name repeating the word before it.
                let name = value.trimmingQuotes
                if name.first?.isUppercase == true, name.allSatisfy(\.isLetter), finding.range.location >= name.utf16.count + 2 {
                    let before = String(decoding: units[max(0, finding.range.location - name.utf16.count - 2)..<finding.range.location], as: UTF16.self)
                        .lowercased()
                    if before.hasPrefix(name.lowercased()) { return true }
                }
                return SecretJudge.isNotAValue(value, structure: .dotenv, strength: .strong) || SecretJudge.ownerIsNegative(finding.range, in: units)
            }
            // Public keys, addresses, digests, documented examples: never secrets, whichever rule took them.
            findings.removeAll { PublicByDesign.contains($0.range, in: units, lowered: lowered) }
        }
        if depth < maximumDecodeDepth {
            for segment in EncodedSegments.find(in: text, gates: lowered) + DecodedForms.find(in: text, bytes: scanText.bytes, gates: lowered) {
                // A secret inside an encoded segment is reported over the whole segment; so is a
                // bare `user:password` (Basic credentials without their header).
                if EncodedCredentials.isUserAndPassword(segment.decoded) {
                    findings.append(
                        RawFinding(
                            type: "encoded_credentials", tier: .structural, range: segment.range, structure: "encoded/token", rule: "encoded-credentials"))
                }
                for inner in scan(segment.decoded, bytes: ByteText(segment.decoded), depth: depth + 1) {
                    let structure = inner.structure.hasPrefix("encoded/") ? inner.structure : "encoded/" + inner.structure
                    findings.append(RawFinding(type: inner.type, tier: inner.tier, range: segment.range, structure: structure, rule: inner.rule))
                }
            }
        }
        return findings
    }

    /// Time spent in each rule over `texts` (after normalisation), slowest first: what
    /// `tmws bench classify --by-rule` prints, to find the rule to optimise.
    package func ruleCosts(_ texts: [String]) -> [(type: String, milliseconds: Double, ran: Int)] {
        let clock = ContinuousClock()
        var costs: [String: (Duration, Int)] = [:]
        for original in texts {
            let text = NormalizedText(original).text
            let lowered = ByteText(text)
            let whole = NSRange(location: 0, length: (text as NSString).length)
            for (position, rule) in Self.rules.enumerated() {
                // Several rules share a type (six prose rules): name each by its place among them.
                let sameType = Self.rules[..<position].filter { $0.type == rule.type }.count
                let name = sameType == 0 ? rule.type : "\(rule.type)[\(sameType)]"
                let start = clock.now
                var ran = 0
                if rule.mayMatch(lowered) {
                    for range in rule.ranges(in: lowered, length: whole.length) {
                        _ = rule.regex.matches(in: text, options: [.withTransparentBounds, .withoutAnchoringBounds], range: range)
                    }
                    ran = 1
                }
                let previous = costs[name] ?? (.zero, 0)
                costs[name] = (previous.0 + (clock.now - start), previous.1 + ran)
            }
            let scanText = ScanText(text, lowered: lowered)
            for scanner in Self.scanners {
                let start = clock.now
                _ = scanner.find(scanText)
                let previous = costs[scanner.type + " (scanner)"] ?? (.zero, 0)
                costs[scanner.type + " (scanner)"] = (previous.0 + (clock.now - start), previous.1 + 1)
            }
            let splitStart = clock.now
            _ = SplitTokens.find(scanText)
            let previousSplit = costs["(split tokens)"] ?? (.zero, 0)
            costs["(split tokens)"] = (previousSplit.0 + (clock.now - splitStart), previousSplit.1 + 1)
            func measure(_ name: String, _ work: () -> Void) {
                let start = clock.now
                work()
                let previous = costs[name] ?? (.zero, 0)
                costs[name] = (previous.0 + (clock.now - start), previous.1 + 1)
            }
            measure("(encoded segments)") { _ = EncodedSegments.find(in: text, gates: lowered) }
            measure("(decoded forms)") { _ = DecodedForms.find(in: text, bytes: scanText.bytes, gates: lowered) }
            var candidates: [ValueCandidate] = []
            measure("(structure parser)") { candidates = StructureParser.candidates(scanText) }
            measure("(prose cues)") { candidates += ProseCues.candidates(scanText) }
            measure("(judge)") { for candidate in candidates { _ = SecretJudge.judge(candidate, in: scanText) } }
            measure("(seed phrases)") { _ = WalletKeys.seedPhrases(scanText.bytes) }
            measure("(WIF keys)") { _ = WalletKeys.wifKeys(scanText.bytes) }
            measure("(labelled numbers)") { _ = LabelledNumbers.find(scanText) }
        }
        return costs.map {
            (type: $0.key, milliseconds: Double($0.value.0.components.attoseconds) / 1e15 + Double($0.value.0.components.seconds) * 1000, ran: $0.value.1)
        }
        .sorted { $0.milliseconds > $1.milliseconds }
    }

    private static func valueRange(of match: NSTextCheckingResult, for rule: PatternRule) -> NSRange? {
        switch rule.value {
        case .whole:
            return match.range
        case .group(let index):
            let range = match.range(at: index)
            return range.location == NSNotFound ? nil : range
        case .firstMatched(let start):
            for index in start..<match.numberOfRanges where match.range(at: index).location != NSNotFound {
                return match.range(at: index)
            }
            return nil
        }
    }
}
