import Crypto

/// Base58 (Bitcoin's alphabet) with the double-SHA-256 checksum of base58check.
enum Base58 {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    static func decode(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        for byte in text.utf8 {
            guard byte < 128, values[Int(byte)] >= 0 else { return nil }
            var carry = Int(values[Int(byte)])
            for index in result.indices.reversed() {
                carry += Int(result[index]) * 58
                result[index] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                result.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        let zeros = text.utf8.prefix { $0 == 0x31 }.count
        return [UInt8](repeating: 0, count: zeros) + result
    }

    /// The payload of a base58check string whose last four bytes are its checksum.
    static func decodeChecked(_ text: String) -> [UInt8]? {
        guard let bytes = decode(text), bytes.count > 4 else { return nil }
        let payload = Array(bytes.dropLast(4))
        let digest = Array(SHA256.hash(data: Array(SHA256.hash(data: payload))))
        return Array(digest.prefix(4)) == Array(bytes.suffix(4)) ? payload : nil
    }

    static func encodeChecked(_ payload: [UInt8]) -> String {
        let digest = Array(SHA256.hash(data: Array(SHA256.hash(data: payload))))
        let bytes = payload + digest.prefix(4)
        var digits: [Int] = []
        for byte in bytes {
            var carry = Int(byte)
            for index in digits.indices {
                carry += digits[index] << 8
                digits[index] = carry % 58
                carry /= 58
            }
            while carry > 0 {
                digits.append(carry % 58)
                carry /= 58
            }
        }
        let zeros = bytes.prefix { $0 == 0 }.count
        return String(repeating: "1", count: zeros) + String(decoding: digits.reversed().map { alphabet[$0] }, as: UTF8.self)
    }
}
