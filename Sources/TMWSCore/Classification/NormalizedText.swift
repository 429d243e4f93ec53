import Foundation

/// The text the detector scans: NFKC, without zero-width and other invisible format
/// characters, with a map back to the original's Unicode scalar offsets so findings point
/// at the text the user wrote.
struct NormalizedText {
    /// The normalized text.
    let text: String
    /// For each UTF-16 offset of `text` (and one past the end), the scalar offset in the original.
    private let originalOffsets: [Int]?
    let originalScalarCount: Int

    init(_ original: String) {
        var scalarCount = 0
        var plain = true
        var previous: Unicode.Scalar = " "
        for scalar in original.unicodeScalars {
            scalarCount += 1
            if scalar.value >= 0x80 && !Self.isStableScalar(scalar) { plain = false }
            // Escapes that spell a character (`\u0067`, `\x67`, `&#x67;`) are decoded too.
            if previous == "\\" && (scalar == "u" || scalar == "x" || scalar == "U" || ("0"..."3").contains(scalar))
                || previous == "&" && scalar == "#"
            {
                plain = false
            }
            previous = scalar
        }
        originalScalarCount = scalarCount
        if plain {
            // ASCII, kana and common CJK are already NFKC, hold no invisible characters and
            // take one UTF-16 unit each: the text and its offsets stay as they are.
            text = original
            originalOffsets = nil
            return
        }
        var output = ""
        var offsets: [Int] = []
        offsets.reserveCapacity(original.utf16.count + 1)
        var position = 0
        let characters = Array(original)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let (decoded, length) = CharacterEscapes.decode(characters, at: index) {
                output.unicodeScalars.append(decoded)
                offsets.append(contentsOf: repeatElement(position, count: String(decoded).utf16.count))
                position += length
                index += length
                continue
            }
            let width = character.unicodeScalars.count
            position += width
            index += 1
            if character.unicodeScalars.allSatisfy(Self.isInvisible) { continue }
            if let base = character.unicodeScalars.first, base.isASCII, character.unicodeScalars.count > 1,
                character.unicodeScalars.dropFirst().allSatisfy(Self.isMark)
            {
                // Combining marks stacked on an ASCII letter (g̲, h̶) hide nothing: keep the letter.
                output.unicodeScalars.append(base)
                offsets.append(position - width)
                continue
            }
            let normalized = Self.isStable(character) ? String(character) : String(character).precomposedStringWithCompatibilityMapping
            output += normalized
            offsets.append(contentsOf: repeatElement(position - width, count: normalized.utf16.count))
        }
        offsets.append(position)
        text = Confusables.skeletonOfMixedTokens(output)
        originalOffsets = offsets
    }

    /// Maps a UTF-16 range of `text` to a scalar range of the original.
    func originalRange(_ range: NSRange) -> (start: Int, end: Int) {
        guard let originalOffsets else { return (range.location, range.location + range.length) }
        let start = originalOffsets[min(range.location, originalOffsets.count - 1)]
        let last = max(range.location, range.location + range.length - 1)
        let endStart = originalOffsets[min(last, originalOffsets.count - 1)]
        // The end is one past the original character that produced the last unit.
        var end = endStart + 1
        let next = min(range.location + range.length, originalOffsets.count - 1)
        if originalOffsets[next] > endStart { end = originalOffsets[next] }
        return (start, max(end, start))
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: true
        default: false
        }
    }

    /// Zero-width spaces and joiners, the BOM, soft hyphens, bidi controls and tags.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF, 0xE0000...0xE007F:
            true
        default:
            false
        }
    }

    /// Characters NFKC leaves alone (ASCII, kana, common CJK), to skip Foundation's NFKC.
    private static func isStable(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy(isStableScalar)
    }

    private static func isStableScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x7F, 0x3001...0x3002, 0x300C...0x300F, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3:
            true
        default:
            false
        }
    }
}
