/// MinHash over a memory's ``Shingles``, cut into bands for locality-sensitive lookup: two
/// memories that share a band key are candidates, and the candidates are then compared
/// exactly. 12 bands of 3 hashes find a pair of similarity 0.6 with probability 0.95 and
/// one of 0.3 with 0.28; the exact comparison decides.
///
/// The keys are stored (`memory_band`), so the hash, the tokens and the banding may change
/// only with a migration that rebuilds them: ``bandingVersion`` names this one.
package enum MinHash {
    package static let bandingVersion = 1
    static let bands = 12
    static let rows = 3

    /// The keys a memory is filed under: one for its exact text (equal keys mean equal
    /// ``Shingles/normalised`` text, barring a 64-bit collision), then one per band.
    package static func keys(of shingles: Shingles) -> [Int64] {
        var keys = [exactKey(shingles.normalised)]
        guard !shingles.tokens.isEmpty else { return keys }
        var minimums = [UInt64](repeating: .max, count: bands * rows)
        for token in shingles.tokens {
            let base = fnv1a(token.utf8, seed: 0xcbf2_9ce4_8422_2325)
            for index in minimums.indices {
                let value = mix(base &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
                if value < minimums[index] { minimums[index] = value }
            }
        }
        for band in 0..<bands {
            var hash = mix(UInt64(band + 1) &* 0xD6E8_FEB8_6659_FD93)
            for row in 0..<rows { hash = mix(hash ^ minimums[band * rows + row]) }
            keys.append(Int64(bitPattern: hash))
        }
        return keys
    }

    static func exactKey(_ normalised: String) -> Int64 {
        Int64(bitPattern: mix(fnv1a(normalised.utf8, seed: 0x6A09_E667_F3BC_C908)))
    }

    static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// SplitMix64's finaliser: spreads every input bit over the whole word.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
