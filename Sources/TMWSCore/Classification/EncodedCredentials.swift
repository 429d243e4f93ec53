import Foundation

/// `user:password` written in base64, as HTTP Basic authentication carries it: a credential
/// pair wherever it appears, labelled or not.
enum EncodedCredentials {
    /// Whether `base64` decodes to `user:password` with a password that is not a placeholder
    /// or a URL's `//`.
    static func isUserAndPassword(base64: String) -> Bool {
        var padded = base64
        while padded.utf8.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded), let text = String(data: data, encoding: .utf8) else { return false }
        return isUserAndPassword(text)
    }

    static func isUserAndPassword(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let user = text[..<colon]
        let password = text[text.index(after: colon)...]
        guard (1...64).contains(user.count), user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._@-+".contains($0)) }),
            (3...128).contains(password.count), !password.hasPrefix("/"), !password.contains(where: { $0.isWhitespace || $0.isNewline }),
            password.allSatisfy({ $0.isASCII && !$0.isNewline })
        else { return false }
        return !Placeholders.isPlaceholder(String(password))
    }
}
