/// A plain text table whose columns line up in a terminal, including Japanese text
/// (East Asian wide characters count as two columns).
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    func render() -> String {
        var widths = headers.map(Self.width)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.width(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - Self.width(cell))
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// The display width of a string.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                total + 2
            default:
                scalar.properties.generalCategory == .nonspacingMark ? total : total + 1
            }
        }
    }

    /// The first line of `text`, cut to about `width` columns.
    static func excerpt(_ text: String, width limit: Int = 60) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        var output = ""
        var used = 0
        for character in flat {
            let characterWidth = width(String(character))
            if used + characterWidth > limit - 1 {
                return output + "…"
            }
            output.append(character)
            used += characterWidth
        }
        return output
    }
}
