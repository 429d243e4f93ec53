/// The structures that are not read around an operator: URL user-info, flags whose value
/// follows after a space, positional call arguments, Markdown table cells.
extension StructureParser {
    /// `scheme://user:password@host`: the password, owned by the scheme.
    static func userinfo(_ bytes: [UInt8]) -> [ValueCandidate] {
        var found: [ValueCandidate] = []
        var index = 0
        while index + 3 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == 0x3A, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F else { continue }
            var schemeStart = index
            while schemeStart > 0, index - schemeStart < 24,
                ByteClass.isAlnum(bytes[schemeStart - 1]) || bytes[schemeStart - 1] == 0x2B
                    || bytes[schemeStart - 1] == 0x2E || bytes[schemeStart - 1] == 0x2D
            {
                schemeStart -= 1
            }
            let start = index + 3
            var colon: Int?
            var position = start
            while position < bytes.count, position - start < 400 {
                let byte = bytes[position]
                if byte == 0x40 { break }
                if byte == 0x2F || byte == 0x3F || byte == 0x23 || byte <= 0x20 || byte == 0x22 || byte == 0x27 || byte == 0x3C || byte == 0x3E {
                    position = -1
                    break
                }
                if byte == 0x3A, colon == nil { colon = position }
                position += 1
            }
            guard position > 0, position < bytes.count, bytes[position] == 0x40, let colon, colon + 1 < position else { continue }
            found.append(ValueCandidate(structure: .urlUserinfo, key: schemeStart..<index, value: colon + 1..<position))
        }
        return found
    }

    /// `--password hunter2`, `-Password hunter2`, `--api-key "…"`, `-u user:password`: a flag
    /// that names a secret, then its value after a space.
    static func spacedFlags(_ bytes: [UInt8]) -> [ValueCandidate] {
        var found: [ValueCandidate] = []
        var index = 0
        while index + 2 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == 0x2D, index == 0 || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 else { continue }
            var nameStart = index + 1
            if bytes[nameStart] == 0x2D { nameStart += 1 }
            var nameEnd = nameStart
            while nameEnd < bytes.count, ByteClass.isAlnum(bytes[nameEnd]) || bytes[nameEnd] == 0x2D || bytes[nameEnd] == 0x5F { nameEnd += 1 }
            guard nameEnd > nameStart, nameEnd < bytes.count, bytes[nameEnd] == 0x20 || bytes[nameEnd] == 0x09 else { continue }
            var valueStart = nameEnd
            while valueStart < bytes.count, bytes[valueStart] == 0x20 { valueStart += 1 }
            guard valueStart < bytes.count, bytes[valueStart] != 0x2D, bytes[valueStart] != 0x0A else { continue }
            // Most flags name no secret: look for a secret's letters before making any string.
            guard nameEnd - nameStart <= 2 || mayNameSecret(bytes[nameStart..<nameEnd]) else { continue }
            let rawName = String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)
            let name = rawName.count == 1 ? rawName : rawName.lowercased()
            var value: Range<Int>
            if let quoted = quotedValue(from: valueStart, in: bytes) {
                value = quoted
            } else {
                var stop = valueStart
                while stop < bytes.count, !ByteClass.isSpace(bytes[stop]), bytes[stop] != 0x22, bytes[stop] != 0x27 { stop += 1 }
                value = valueStart..<stop
            }
            guard !value.isEmpty else { continue }
            let command =
                name.count == 1 || ["pass", "passin", "passout", "body", "storepass", "keypass"].contains(name) ? shortFlagCommand(bytes, before: index) : nil
            if name.count == 1 || ["passin", "passout", "body"].contains(name) || command?.flags.contains(name) == true {
                // Short flags mean a password only for some commands: `sqlcmd -P`, `redis-cli -a`,
                // `ssh-keygen -N`, `openssl -pass pass:…`, `gh secret set --body`.
                guard let command, command.flags.contains(name) else {
                    if ["u", "user"].contains(name) == false { continue }
                    guard let colon = bytes[value].firstIndex(of: 0x3A), colon + 1 < value.upperBound else { continue }
                    found.append(ValueCandidate(structure: .cliFlag, key: nameStart..<nameEnd, value: colon + 1..<value.upperBound))
                    continue
                }
                var start = value.lowerBound
                if bytes[value].starts(with: Array("pass:".utf8)) { start += 5 }
                found.append(ValueCandidate(structure: .cliFlag, key: nameStart..<nameEnd, value: start..<value.upperBound, isFlagPassword: true))
            } else if ["user", "basic-auth", "creds", "credentials", "auth"].contains(name) {
                // user:password: the part after the first colon.
                guard let colon = bytes[value].firstIndex(of: 0x3A), colon + 1 < value.upperBound else { continue }
                found.append(ValueCandidate(structure: .cliFlag, key: nameStart..<nameEnd, value: colon + 1..<value.upperBound))
            } else if KeyLexicon.strength(of: bytes[nameStart..<nameEnd]) >= .weak {
                found.append(ValueCandidate(structure: .cliFlag, key: nameStart..<nameEnd, value: value))
            }
        }
        return found
    }

    private static let secretStems: [[UInt8]] = [
        "pass", "pw", "key", "token", "secret", "auth", "cred", "sig", "sess", "cookie", "pin", "otp", "login",
        "bearer", "sas", "dsn", "user", "body", "storepass", "keypass",
    ].map { Array($0.utf8) }

    /// Whether a flag's name (any case) holds a stem of a secret word.
    static func mayNameSecret(_ name: ArraySlice<UInt8>) -> Bool {
        let lowered = name.map { ByteClass.isUpper($0) ? $0 | 0x20 : $0 }
        return secretStems.contains { stem in
            lowered.count >= stem.count && (0...(lowered.count - stem.count)).contains { lowered[$0..<$0 + stem.count].elementsEqual(stem) }
        }
    }

    /// Commands whose short flags carry a password, and which flags.
    static let shortFlagCommands: [(command: [UInt8], flags: Set<String>)] = [
        ("sqlcmd", ["P"]), ("bcp", ["P"]), ("osql", ["P"]), ("isql", ["P"]),
        // (mysql's `-p` takes its password attached, `-pSECRET`; a word after `-p ` is the database.)
        ("sshpass", ["p"]), ("docker login", ["p"]), ("podman login", ["p"]), ("az login", ["p"]), ("oras login", ["p"]), ("buildah login", ["p"]),
        ("redis-cli", ["a"]), ("ssh-keygen", ["N", "P"]), ("openssl", ["pass", "passin", "passout", "k"]), ("gh secret set", ["body", "b"]),
        ("htpasswd", ["b"]), ("smbclient", ["U"]), ("keytool", ["storepass", "keypass"]), ("zip", ["P"]), ("unzip", ["P"]),
        ("net use", ["p"]), ("runas", ["p"]), ("mosquitto_pub", ["P"]), ("mosquitto_sub", ["P"]), ("mongo", ["p"]),
        ("mongosh", ["p"]), ("mongodump", ["p"]), ("mongorestore", ["p"]), ("mongoexport", ["p"]), ("mongoimport", ["p"]), ("ldapsearch", ["w"]),
        ("ldapadd", ["w"]), ("ldapmodify", ["w"]), ("cf login", ["p"]), ("cf auth", ["p"]),
    ].map { (Array($0.0.utf8), $0.1) }

    /// The command on the line before `index` whose short flags carry a password, if any.
    static func shortFlagCommand(_ bytes: [UInt8], before index: Int) -> (command: [UInt8], flags: Set<String>)? {
        let start = lineStart(before: index, in: bytes)
        let line = bytes[start..<index]
        for entry in shortFlagCommands where line.count >= entry.command.count {
            var position = line.startIndex
            while position + entry.command.count <= line.endIndex {
                if line[position] == entry.command[0], line[position..<position + entry.command.count].elementsEqual(entry.command),
                    position == line.startIndex || !ByteClass.isAlnum(line[position - 1])
                {
                    return entry
                }
                position += 1
            }
        }
        return nil
    }

    /// `requirepass …`, `password …` on a line of their own: a space-separated configuration
    /// (redis.conf, .netrc lines, sshd-like files). A line of exactly two words whose first
    /// names a secret.
    static func spacedConfig(_ bytes: [UInt8]) -> [ValueCandidate] {
        var found: [ValueCandidate] = []
        var lineStart = 0
        while lineStart < bytes.count {
            let end = lineEnd(from: lineStart, in: bytes)
            defer { lineStart = end + 1 }
            var keyStart = lineStart
            while keyStart < end, bytes[keyStart] == 0x20 || bytes[keyStart] == 0x09 { keyStart += 1 }
            // `setx KEY value` (Windows), `ENV KEY value` (Dockerfile), `set -gx KEY value` (fish).
            for declaring in spacedDeclarations
            where end - keyStart > declaring.count
                && zip(bytes[keyStart..<keyStart + declaring.count], declaring).allSatisfy({ $0 | 0x20 == $1 })
            {
                keyStart += declaring.count
                break
            }
            var keyEnd = keyStart
            while keyEnd < end, ByteClass.isAlnum(bytes[keyEnd]) || bytes[keyEnd] == 0x5F || bytes[keyEnd] == 0x2D { keyEnd += 1 }
            guard keyEnd > keyStart, keyEnd < end, bytes[keyEnd] == 0x20 || bytes[keyEnd] == 0x09 else { continue }
            var valueStart = keyEnd
            while valueStart < end, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
            var valueEnd = valueStart
            while valueEnd < end, ByteClass.isGraphic(bytes[valueEnd]) { valueEnd += 1 }
            if valueStart < end, let quoted = quotedValue(from: valueStart, in: bytes) {
                valueStart = quoted.lowerBound
                valueEnd = quoted.upperBound + 1
            }
            // (A quoted value may close past a carriage return that ended the line: not this line's.)
            guard valueEnd > valueStart, valueEnd <= end, trimmed(valueEnd..<end, in: bytes, comments: false).isEmpty,
                KeyLexicon.strength(of: bytes[keyStart..<keyEnd]) == .strong
            else { continue }
            let value =
                valueEnd > valueStart && (bytes[valueEnd - 1] == 0x22 || bytes[valueEnd - 1] == 0x27) ? valueStart..<valueEnd - 1 : valueStart..<valueEnd
            found.append(ValueCandidate(structure: .ini, key: keyStart..<keyEnd, value: value))
        }
        return found
    }

    static let spacedDeclarations: [[UInt8]] = ["setx ", "env ", "set -gx ", "set -x ", "set -u ", "set "].map { Array($0.utf8) }

    /// `echo 'hunter2' | docker login --password-stdin`, `sqlplus scott/tiger@orcl`,
    /// `jdbc:oracle:thin:scott/tiger@db:1521:orcl`: passwords that commands take in their own way.
    static func commandPasswords(_ bytes: [UInt8], lowered: ByteText) -> [ValueCandidate] {
        var found: [ValueCandidate] = []
        if lowered.contains(Array("--password-stdin".utf8)) || lowered.contains(Array("--pass-stdin".utf8)) {
            for hit in lowered.offsets(of: Array("echo ".utf8)) + lowered.offsets(of: Array("printf ".utf8)) {
                var start = hit + (bytes[hit] == 0x65 || bytes[hit] == 0x45 ? 5 : 7)
                while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x2D && start + 1 < bytes.count && bytes[start + 1] == 0x6E {
                    start += bytes[start] == 0x2D ? 2 : 1
                }
                let lineEnd = lineEnd(from: start, in: bytes)
                guard start < lineEnd, bytes[start..<lineEnd].contains(0x7C) else { continue }
                let value = quotedValue(from: start, in: bytes) ?? start..<(bytes[start..<lineEnd].firstIndex(where: { $0 == 0x20 || $0 == 0x7C }) ?? lineEnd)
                if !value.isEmpty { found.append(ValueCandidate(structure: .cliFlag, key: hit..<hit + 4, value: value, isFlagPassword: true)) }
            }
        }
        // `echo "bob:hunter2" | chpasswd`: the password after the user's colon.
        if lowered.contains(Array("chpasswd".utf8)) {
            for hit in lowered.offsets(of: Array("echo ".utf8)) where hit + 5 < bytes.count {
                let start = hit + 5
                let word = quotedValue(from: start, in: bytes) ?? start..<(bytes[start...].firstIndex(of: 0x20) ?? bytes.count)
                guard let colon = bytes[word].firstIndex(of: 0x3A), colon + 1 < word.upperBound else { continue }
                found.append(ValueCandidate(structure: .cliFlag, key: hit..<hit + 4, value: colon + 1..<word.upperBound, isFlagPassword: true))
            }
        }
        // `net user bob hunter2 /add`: Windows takes the password as the second word.
        for hit in lowered.contains(Array("net user ".utf8)) ? lowered.offsets(of: Array("net user ".utf8)) : [] {
            let words = followingWords(bytes, from: hit + 9, count: 2)
            if words.count == 2, bytes[words[1].lowerBound] != 0x2F, bytes[words[1].lowerBound] != 0x2A {
                found.append(ValueCandidate(structure: .cliFlag, key: hit..<hit + 8, value: words[1], isFlagPassword: true))
            }
        }
        // `npm config set KEY VALUE`, `git config --global KEY VALUE`, `aws configure set KEY VALUE`:
        // the key names the value.
        for marker in ["config set ", "configure set ", "config --global ", "config --local ", "config --system "] where lowered.contains(Array(marker.utf8)) {
            for hit in lowered.offsets(of: Array(marker.utf8)) {
                let words = followingWords(bytes, from: hit + marker.utf8.count, count: 3)
                guard words.count == 2, bytes[words[0].lowerBound] != 0x2D else { continue }
                found.append(ValueCandidate(structure: .cliFlag, key: words[0], value: words[1]))
            }
        }
        for marker in ["sqlplus ", "thin:", "expdp ", "impdp ", "rman target ", "connect "] where lowered.contains(Array(marker.utf8)) {
            for hit in lowered.offsets(of: Array(marker.utf8)) {
                var start = hit + marker.utf8.count
                while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x2D && marker == "sqlplus " { start += 1 }
                var slash: Int?
                var position = start
                while position < bytes.count, position - start < 200, ByteClass.isGraphic(bytes[position]), bytes[position] != 0x40 {
                    if bytes[position] == 0x2F, slash == nil { slash = position }
                    position += 1
                }
                guard let slash, slash > start, slash + 1 < position, position < bytes.count, bytes[position] == 0x40 else { continue }
                found.append(
                    ValueCandidate(structure: .connectionString, key: hit..<hit + marker.utf8.count - 1, value: slash + 1..<position, isFlagPassword: true))
            }
        }
        return found
    }

    /// A `.pgpass` line (host:port:database:user:password, four colons and no space), found
    /// by the main pass, which counts both on every line.
    static func pgpassLine(_ line: Range<Int>, in bytes: [UInt8]) -> ValueCandidate? {
        guard line.count >= 9 else { return nil }
        let parts = bytes[line].split(separator: 0x3A, omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[1].isEmpty, parts[1].allSatisfy({ ByteClass.isDigit($0) || $0 == 0x2A }), !parts[4].isEmpty else { return nil }
        return ValueCandidate(
            structure: .connectionString, key: parts[1].startIndex..<parts[1].endIndex, value: parts[4].startIndex..<parts[4].endIndex,
            isFlagPassword: true)
    }

    /// Up to `count` space-separated words from `start` on its line.
    static func followingWords(_ bytes: [UInt8], from start: Int, count: Int) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var position = start
        let end = lineEnd(from: start, in: bytes)
        while position < end, words.count < count {
            while position < end, bytes[position] == 0x20 { position += 1 }
            let wordStart = position
            while position < end, bytes[position] != 0x20 { position += 1 }
            if position > wordStart { words.append(wordStart..<position) }
        }
        return words
    }

    /// String arguments of calls, owned by the callee: `setPassword("…")`,
    /// `Client("…")`, `auth=("svc", "…")` (the key before a tuple owns it).
    static func positionalArguments(_ bytes: [UInt8]) -> [ValueCandidate] {
        var found: [ValueCandidate] = []
        var index = 0
        while index < bytes.count {
            defer { index += 1 }
            guard bytes[index] == 0x28 else { continue }
            var calleeEnd = index
            while calleeEnd > 0, bytes[calleeEnd - 1] == 0x20 { calleeEnd -= 1 }
            if calleeEnd > 0, bytes[calleeEnd - 1] == 0x3D || bytes[calleeEnd - 1] == 0x3A {
                calleeEnd -= 1
                while calleeEnd > 0, bytes[calleeEnd - 1] == 0x20 { calleeEnd -= 1 }
            }
            var calleeStart = calleeEnd
            while calleeStart > 0, calleeEnd - calleeStart < 64,
                ByteClass.isAlnum(bytes[calleeStart - 1]) || bytes[calleeStart - 1] == 0x5F
                    || bytes[calleeStart - 1] == 0x2E || bytes[calleeStart - 1] == 0x24
            {
                calleeStart -= 1
            }
            guard calleeStart < calleeEnd else { continue }
            // Arguments: quoted strings separated by commas, up to the closing parenthesis.
            var position = index + 1
            var previousString: Range<Int>?
            while position < bytes.count, position - index < 600 {
                while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x09 { position += 1 }
                guard position < bytes.count, bytes[position] != 0x29 else { break }
                if let quoted = quotedValue(from: position, in: bytes) {
                    // `define('DB_PASSWORD', '…')`, `config.set("api.token", "…")`: a string naming a
                    // secret owns the string after it.
                    if let previous = previousString, KeyLexicon.strength(of: bytes[previous]) == .strong {
                        found.append(ValueCandidate(structure: .callArgument, key: previous, value: quoted, mayHoldSpaces: true))
                    } else {
                        found.append(ValueCandidate(structure: .callArgument, key: calleeStart..<calleeEnd, value: quoted, mayHoldSpaces: true))
                    }
                    previousString = quoted
                    position = quoted.upperBound + 1
                } else {
                    previousString = nil
                }
                // To the next comma at this depth.
                var depth = 0
                while position < bytes.count, position - index < 600 {
                    let byte = bytes[position]
                    if byte == 0x28 || byte == 0x5B || byte == 0x7B { depth += 1 }
                    if byte == 0x29 || byte == 0x5D || byte == 0x7D {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    if byte == 0x22 || byte == 0x27, let quoted = quotedValue(from: position, in: bytes) { position = quoted.upperBound }
                    if byte == 0x2C, depth == 0 { break }
                    position += 1
                }
                guard position < bytes.count, bytes[position] == 0x2C else { break }
                position += 1
            }
        }
        return found
    }

    /// Markdown table rows: a cell owned by its column's header, or by the cell before it
    /// (`| DB password | hunter2 |`).
    static func tableCells(_ bytes: [UInt8]) -> [ValueCandidate] {
        var found: [ValueCandidate] = []
        var header: [Range<Int>] = []
        var rowsInTable = 0
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = lineEnd(from: lineStart, in: bytes)
            defer { lineStart = lineEnd + 1 }
            var first = lineStart
            while first < lineEnd, bytes[first] == 0x20 { first += 1 }
            guard first < lineEnd, bytes[first] == 0x7C else {
                header = []
                rowsInTable = 0
                continue
            }
            var cells: [Range<Int>] = []
            var cellStart = first + 1
            for position in first + 1..<lineEnd where bytes[position] == 0x7C && bytes[position - 1] != 0x5C {
                cells.append(trimmed(cellStart..<position, in: bytes, comments: false))
                cellStart = position + 1
            }
            if cellStart < lineEnd {
                let last = trimmed(cellStart..<lineEnd, in: bytes, comments: false)
                if !last.isEmpty { cells.append(last) }
            }
            rowsInTable += 1
            if cells.allSatisfy({ cell in bytes[cell].allSatisfy { $0 == 0x2D || $0 == 0x3A || $0 == 0x20 } }) { continue }
            if rowsInTable == 1 {
                header = cells
            }
            // A header row (the next line is `|---|---|`) names columns; its cells are not values.
            let next = lineEnd + 1 < bytes.count ? Self.lineEnd(from: lineEnd + 1, in: bytes) : lineEnd
            let isHeader =
                next > lineEnd + 1 && bytes[lineEnd + 1..<next].contains(0x2D)
                && bytes[lineEnd + 1..<next].allSatisfy { $0 == 0x7C || $0 == 0x2D || $0 == 0x3A || $0 == 0x20 }
            if isHeader { continue }
            for (column, cell) in cells.enumerated() where !cell.isEmpty {
                if rowsInTable > 1, column < header.count, KeyLexicon.strength(of: bytes[header[column]]) >= .weak {
                    found.append(ValueCandidate(structure: .markdownTable, key: header[column], value: cell, mayHoldSpaces: true))
                }
                if column > 0, KeyLexicon.strength(of: bytes[cells[column - 1]]) >= .weak {
                    found.append(ValueCandidate(structure: .markdownTable, key: cells[column - 1], value: cell, mayHoldSpaces: true))
                }
            }
        }
        return found
    }
}
