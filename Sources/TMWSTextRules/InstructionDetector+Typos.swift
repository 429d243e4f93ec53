/// Misspellings and l33t read as the words they stand for, and typosquatted package names.
extension InstructionDetector {
    /// Words whose one-letter misspellings are read as the word.
    static let typoTargets: Set<String> = [
        "always", "previous", "instructions", "instruction", "script", "disable", "please", "assistant", "ignore", "system",
        "prompt", "tests", "verify", "execute", "install", "secrets", "credentials", "approve", "review", "mention", "silently",
        "security", "sandbox", "permissions", "guidelines", "delete", "remove", "upload", "password", "anything", "everything",
        "confirmation", "confirm", "memory", "memories", "before", "whenever", "firewall", "without", "disregard", "forget",
        "commit", "checks", "signature", "certificate", "token", "tokens", "bypass",
    ]

    /// Words read through l33t only ("h77ps", "b4sh"): too short or too common to correct typos in.
    static let leetTargets: Set<String> = ["http", "https", "bash", "curl", "wget", "sudo", "shell", "eval"]

    /// Real words one edit from a typo target.
    static let typoExceptions: Set<String> = [
        "remote", "remotes", "conform", "forged", "instill", "verity", "delate", "secrete", "commie", "tokenize", "assistance",
        "alwaysx", "systemd", "scripted",
    ]

    /// Popular packages whose near-misspellings are typosquats.
    static let popularPackages: Set<String> = [
        "requests", "colorama", "urllib3", "numpy", "pandas", "django", "flask", "boto3", "pyyaml", "setuptools", "cryptography",
        "pillow", "scipy", "matplotlib", "tensorflow", "pytest", "jinja2", "simplejson", "beautifulsoup4", "lodash", "express",
        "react", "axios", "chalk", "moment", "webpack", "typescript", "eslint", "prettier", "commander", "dotenv", "jsonwebtoken",
        "mongoose", "electron", "nodemon", "python-dateutil", "certifi", "openai", "selenium", "request", "python", "types", "react-dom",
    ]

    /// Optimal-string-alignment distance, for short package names only.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        if abs(x.count - y.count) > 2 { return 3 }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...max(1, x.count) where i <= x.count {
            for j in 1...max(1, y.count) where j <= y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    /// Misspellings one edit from a word the rules hinge on ("previus", "alwyas", "disabel"), by
    /// their one-letter deletions; only these words are corrected, so "readme" stays itself.
    static let deletions: [String: String] = {
        var map: [String: String] = [:]
        for word in typoTargets.sorted() {
            map[word] = word
            let chars = Array(word)
            for i in chars.indices {
                var shorter = chars
                shorter.remove(at: i)
                map[String(shorter)] = map[String(shorter)] ?? word
            }
        }
        return map
    }()

    static func correctTypos(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            // l33t ("1gn0r3", "pr3v10us"): a word of letters and digits that reads as a target once its digits are letters.
            if isLeetByte(bytes[i]), i == 0 || !Term.isWordByte(bytes[i - 1]) {
                var j = i
                while j < bytes.count, isLeetByte(bytes[j]) { j += 1 }
                let run = bytes[i..<j]
                if j == bytes.count || !Term.isWordByte(bytes[j]), run.contains(where: { $0 >= 0x61 }), run.contains(where: { $0 < 0x61 }) {
                    let plain = String(decoding: run.map { leet[$0] ?? $0 }, as: UTF8.self)
                    if let word = typoTargets.contains(plain) || leetTargets.contains(plain) ? plain : correction(of: plain) {
                        out.append(contentsOf: word.utf8)
                        i = j
                        continue
                    }
                }
            }
            guard bytes[i] >= 0x61, bytes[i] <= 0x7A, i == 0 || !(bytes[i - 1] >= 0x61 && bytes[i - 1] <= 0x7A) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            var j = i
            while j < bytes.count, bytes[j] >= 0x61, bytes[j] <= 0x7A { j += 1 }
            let word = String(decoding: bytes[i..<j], as: UTF8.self)
            out.append(contentsOf: (correction(of: word) ?? word).utf8)
            i = j
        }
        return out
    }

    static let leet: [UInt8: UInt8] = [0x30: 0x6F, 0x31: 0x69, 0x33: 0x65, 0x34: 0x61, 0x35: 0x73, 0x37: 0x74, 0x40: 0x61, 0x24: 0x73]
    static func isLeetByte(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || leet[b] != nil }

    private static func correction(of word: String) -> String? {
        guard word.count >= 5, word.count <= 20, !typoTargets.contains(word), !typoExceptions.contains(word) else { return nil }
        let chars = Array(word)
        var candidates: [String] = []
        if let hit = deletions[word] { candidates.append(hit) }
        for i in chars.indices {
            var shorter = chars
            shorter.remove(at: i)
            if let hit = deletions[String(shorter)] { candidates.append(hit) }
        }
        // Inflections are not typos: "ignores" stays a statement about its subject.
        return candidates.first { c in
            c.first == word.first && word != c + "s" && word != c + "d" && c != word + "s" && c != word + "d"
        }
    }
}
