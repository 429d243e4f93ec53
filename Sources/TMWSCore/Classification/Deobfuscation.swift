/// Undoing the cheap disguises of a secret before it is matched: escapes that spell a
/// character (`\u0067`, `\x67`, `\147`, `&#x67;`, `&#103;`), letters borrowed from other
/// scripts that look Latin (Cyrillic `һ` for `h`, Greek `ο` for `o`), and combining marks
/// stacked on ASCII letters (`g̲h̲p̲`). Full-width forms are NFKC's.

/// Character escapes of JSON, JavaScript, Python, C and HTML, decoded where they spell a
/// visible character (control characters and spaces stay escaped: they hide nothing).
enum CharacterEscapes {
    /// The decoded scalar and how many characters (each one scalar) the escape spans.
    static func decode(_ characters: [Character], at index: Int) -> (Unicode.Scalar, Int)? {
        let first = characters[index]
        guard first == "\\" || first == "&", index + 2 < characters.count else { return nil }
        func hexDigits(from start: Int, count: ClosedRange<Int>, terminator: Character? = nil) -> (UInt32, Int)? {
            var value: UInt32 = 0
            var position = start
            while position < characters.count, position - start < count.upperBound, let digit = characters[position].hexDigitValue {
                value = value << 4 | UInt32(digit)
                position += 1
            }
            guard count.contains(position - start) else { return nil }
            if let terminator {
                guard position < characters.count, characters[position] == terminator else { return nil }
                position += 1
            }
            return (value, position - index)
        }
        var result: (UInt32, Int)?
        if first == "\\" {
            switch characters[index + 1] {
            case "u":
                if characters[index + 2] == "{" {
                    result = hexDigits(from: index + 3, count: 1...6, terminator: "}")
                } else {
                    result = hexDigits(from: index + 2, count: 4...4)
                }
            case "U": result = hexDigits(from: index + 2, count: 8...8)
            case "x": result = hexDigits(from: index + 2, count: 2...2)
            case "0"..."3":
                // Octal, exactly three digits (`\147`), as C, Python and shells write bytes.
                guard index + 3 < characters.count else { return nil }
                let digits = characters[index + 1...index + 3].compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
                guard digits.count == 3, digits.allSatisfy({ $0 < 8 }) else { return nil }
                result = (UInt32(digits[0] * 64 + digits[1] * 8 + digits[2]), 4)
            default: return nil
            }
        } else {
            guard characters[index + 1] == "#" else { return nil }
            if characters[index + 2] == "x" || characters[index + 2] == "X" {
                result = hexDigits(from: index + 3, count: 1...6, terminator: ";")
            } else {
                var value: UInt32 = 0
                var position = index + 2
                while position < characters.count, position - index < 9, let digit = characters[position].wholeNumberValue, characters[position].isASCII {
                    value = value * 10 + UInt32(digit)
                    position += 1
                }
                guard position > index + 2, position < characters.count, characters[position] == ";" else { return nil }
                result = (value, position + 1 - index)
            }
        }
        guard let (value, length) = result, value > 0x20, value != 0x7F, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}

/// Cyrillic, Greek and other letters that render like Latin ones (Unicode's confusables,
/// the single-letter part), mapped to the Latin letter — only inside a word that also holds
/// ASCII letters or digits, so Russian and Greek prose stays as written.
enum Confusables {
    static let map: [UInt16: UInt16] = {
        let pairs: [(String, String)] = [
            // Cyrillic
            ("а", "a"), ("е", "e"), ("о", "o"), ("р", "p"), ("с", "c"), ("у", "y"), ("х", "x"), ("ѕ", "s"), ("і", "i"),
            ("ј", "j"), ("һ", "h"), ("ԁ", "d"), ("ԛ", "q"), ("ԝ", "w"), ("ӏ", "l"), ("ɡ", "g"), ("ո", "n"), ("ս", "u"),
            ("А", "A"), ("В", "B"), ("Е", "E"), ("К", "K"), ("М", "M"), ("Н", "H"), ("О", "O"), ("Р", "P"), ("С", "C"),
            ("Т", "T"), ("Х", "X"), ("Ѕ", "S"), ("І", "I"), ("Ј", "J"), ("Ү", "Y"), ("Ԛ", "Q"), ("Ԝ", "W"), ("Ӏ", "I"),
            ("в", "B"), ("к", "k"), ("м", "M"), ("н", "H"), ("т", "T"), ("ь", "b"), ("г", "r"), ("п", "n"),
            // Greek
            ("Α", "A"), ("Β", "B"), ("Ε", "E"), ("Ζ", "Z"), ("Η", "H"), ("Ι", "I"), ("Κ", "K"), ("Μ", "M"), ("Ν", "N"),
            ("Ο", "O"), ("Ρ", "P"), ("Τ", "T"), ("Υ", "Y"), ("Χ", "X"), ("ο", "o"), ("ν", "v"), ("ι", "i"), ("κ", "k"),
            ("ρ", "p"), ("υ", "u"), ("χ", "x"), ("α", "a"), ("τ", "t"), ("ϲ", "c"), ("ϳ", "j"),
            // Latin look-alikes outside ASCII that NFKC keeps
            ("ı", "i"), ("ȷ", "j"), ("ß", "b"), ("ℓ", "l"),
            // Dashes and the minus sign inside a token (`sk‐proj‐…` with U+2010)
            ("\u{2010}", "-"), ("\u{2011}", "-"), ("\u{2012}", "-"), ("\u{2013}", "-"), ("\u{2014}", "-"), ("\u{2212}", "-"),
        ]
        var map: [UInt16: UInt16] = [:]
        for (from, to) in pairs { map[from.utf16.first!] = to.utf16.first! }
        return map
    }()

    /// The text with look-alikes replaced in mixed tokens; one UTF-16 unit stays one unit, so
    /// offsets into the text do not move.
    static func skeletonOfMixedTokens(_ text: String) -> String {
        var units = Array(text.utf16)
        guard units.contains(where: isCandidate) else { return text }
        var start = 0
        var changed = false
        while start < units.count {
            var end = start
            var hasASCII = false
            var hasConfusable = false
            while end < units.count, !isBoundary(units[end]) {
                let unit = units[end]
                if unit < 0x80, unit >= 0x30, unit <= 0x39 || unit >= 0x41 && unit <= 0x5A || unit >= 0x61 && unit <= 0x7A || unit == 0x5F {
                    hasASCII = true
                }
                if isCandidate(unit) { hasConfusable = true }
                end += 1
            }
            if hasASCII, hasConfusable {
                for index in start..<end { if let latin = map[units[index]] { units[index] = latin } }
                changed = true
            }
            start = end + 1
        }
        return changed ? String(decoding: units, as: UTF16.self) : text
    }

    /// Whether a unit is one of the look-alikes (a range test first: most text has none).
    private static func isCandidate(_ unit: UInt16) -> Bool {
        (unit >= 0x0131 && unit <= 0x0585 || unit >= 0x2010 && unit <= 0x2014 || unit == 0x2113 || unit == 0x2212) && map[unit] != nil
    }

    /// Ends a word: white space and ASCII punctuation other than `_`, so `NOTE=Пароль` keeps
    /// its Russian word while `gһp_aBc` (one word with ASCII in it) is read as Latin.
    private static func isBoundary(_ unit: UInt16) -> Bool {
        if unit >= 0x80 { return unit == 0x3000 || unit == 0xA0 }
        let isWord = unit >= 0x30 && unit <= 0x39 || unit >= 0x41 && unit <= 0x5A || unit >= 0x61 && unit <= 0x7A || unit == 0x5F
        return !isWord
    }
}
