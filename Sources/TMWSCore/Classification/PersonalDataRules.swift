/// Personal data: payment cards, IBANs, US social security numbers, phone numbers and
/// personal e-mail addresses, each with the validation its format allows.
extension PatternRule {
    static let personal: [PatternRule] = [
        PatternRule(
            "credit_card", .personal, keywords: [],
            // Not an id between colons, as an AWS account id sits in an ARN (`::123456789012:role`),
            // nor the start of a UUID: `61441965-8189-4425-9027-a583c88c1f63` starts with 16 digits
            // that may pass Luhn (what follows a match is the rest of the UUID's groups).
            #"(?<![0-9A-Za-z.-])[0-9](?:[ -]?[0-9]){11,18}(?![0-9A-Za-z]|:[A-Za-z]|-(?:[0-9A-Fa-f]{4}-){0,2}[0-9A-Fa-f]{12}(?![0-9A-Za-z]))"#,
            minimumDigits: 12, accept: PaymentCard.isValid),
        PatternRule(
            "iban", .personal, keywords: [],
            #"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"#,
            minimumDigits: 2, accept: IBAN.isValid),
        PatternRule(
            "us_ssn", .personal, keywords: ["-"],
            #"(?<![0-9-])([0-9]{3})-([0-9]{2})-([0-9]{4})(?![0-9-])"#, minimumDigits: 9, accept: SocialSecurityNumber.isValid),
        PatternRule(
            "phone_number", .personal, keywords: [],
            #"(?<![0-9A-Za-z.+-])(?:\+[1-9][0-9]{0,2}[ .-]?(?:\(0?[0-9]{1,4}\)|[0-9]{1,4})(?:[ .-]?[0-9]{2,4}){2,3}|0[789]0-?[0-9]{4}-?[0-9]{4}|0[1-9][0-9]{0,3}-[0-9]{1,4}-[0-9]{4}|\([2-9][0-9]{2}\)\s?[2-9][0-9]{2}-[0-9]{4})(?![0-9A-Za-z-])"#,
            minimumTotalDigits: 8,
            accept: { value in
                let digits = value.filter(\.isNumber).count
                return (10...15).contains(digits) || (value.hasPrefix("+") && digits >= 8)
            }),
        PatternRule(
            "personal_email", .personal, keywords: ["@"],
            #"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9.-]+\.[A-Za-z]{2,})(?![A-Za-z0-9-])"#,
            accept: { value in
                guard let at = value.lastIndex(of: "@") else { return false }
                let domain = value[value.index(after: at)...].lowercased()
                return PersonalEmail.domains.contains(domain)
            }),
    ]
}

/// Payment card numbers: 12–19 digits, a known issuer range, the Luhn checksum, and
/// separators used consistently.
enum PaymentCard {
    static func isValid(_ text: String) -> Bool {
        let separators = Set(text.filter { $0 == " " || $0 == "-" })
        guard separators.count <= 1 else { return false }
        let digits = text.compactMap(\.wholeNumberValue)
        guard (12...19).contains(digits.count), hasKnownIssuer(digits), luhn(digits) else { return false }
        // Twelve digits in one run are an account or order number far more often than a
        // (Maestro) card; grouped 4-4-4 they are still taken.
        if digits.count == 12, separators.isEmpty { return false }
        // One digit repeated (0000 0000 0000 0000) passes Luhn but is no card.
        return Set(digits).count > 1
    }

    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Visa, Mastercard (51–55 and 2221–2720), Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir.
    static func hasKnownIssuer(_ digits: [Int]) -> Bool {
        func prefix(_ count: Int) -> Int { digits.prefix(count).reduce(0) { $0 * 10 + $1 } }
        let two = prefix(2)
        let three = prefix(3)
        let four = prefix(4)
        switch true {
        case digits[0] == 4: return true
        case (51...55).contains(two), (2221...2720).contains(four): return true
        case two == 34 || two == 37: return true
        case four == 6011, (644...649).contains(three), two == 65: return true
        case (3528...3589).contains(four): return true
        case (300...305).contains(three), two == 36, two == 38, two == 39: return true
        case two == 62, two == 81: return true
        case two == 50, (56...69).contains(two): return true
        case (2200...2204).contains(four): return true
        default: return false
        }
    }
}

/// IBANs: the country's length and the ISO 13616 mod-97 check.
enum IBAN {
    static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CR": 22,
        "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
        "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29,
        "VG": 24, "XK": 20,
    ]

    static func isValid(_ text: String) -> Bool {
        let compact = text.filter { $0 != " " }
        guard let expected = lengths[String(compact.prefix(2))], compact.count == expected else { return false }
        let rearranged = compact.dropFirst(4) + compact.prefix(4)
        var remainder = 0
        for character in rearranged {
            if let digit = character.wholeNumberValue {
                remainder = (remainder * 10 + digit) % 97
            } else if let ascii = character.asciiValue, (65...90).contains(ascii) {
                remainder = (remainder * 100 + Int(ascii) - 55) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }
}

/// US social security numbers in the 123-45-6789 form, without the ranges never issued.
enum SocialSecurityNumber {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-").map(String.init)
        guard parts.count == 3, let area = Int(parts[0]), let group = Int(parts[1]), let serial = Int(parts[2]) else { return false }
        if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 { return false }
        if ["078-05-1120", "219-09-9999", "123-45-6789"].contains(text) { return false }
        return Set(text.filter(\.isNumber)).count > 1
    }
}

/// Free-mail domains: an address there belongs to a person, not a team or a system.
enum PersonalEmail {
    static let domains: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.jp", "ymail.com", "hotmail.com", "hotmail.co.jp",
        "outlook.com", "outlook.jp", "live.com", "live.jp", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "mail.com", "yandex.ru", "yandex.com",
        "zoho.com", "qq.com", "163.com", "126.com", "naver.com", "daum.net", "docomo.ne.jp", "ezweb.ne.jp",
        "au.com", "softbank.ne.jp", "i.softbank.jp", "nifty.com", "biglobe.ne.jp", "ocn.ne.jp", "web.de",
        "yahoo.co.uk", "btinternet.com", "comcast.net", "fastmail.com", "hey.com", "tutanota.com", "mail.ru",
    ]
}
