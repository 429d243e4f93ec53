import Foundation

/// A memory's embedding as TMWS keeps and sends it: int8 values with one scale (a quarter of
/// the float bytes; cosine within about 0.001 of the floats), and the model that made it.
///
/// Vectors arrive from other devices inside change events, so the wire form is checked before
/// use: a known shape of model name, 8 to 4,096 values, a finite positive scale, and a length
/// near 1 (a vector blown up to outrank every other is refused).
package struct MemoryVector: Sendable, Hashable {
    package static let maximumDimension = 4096
    package static let maximumModelLength = 100

    package var model: String
    package var scale: Float
    package var values: [Int8]

    package var dimension: Int { values.count }

    /// Quantises an embedding (normalised here, whatever its length).
    package init(model: String, floats: [Float]) {
        var norm: Float = 0
        for value in floats { norm += value * value }
        norm = norm > 0 ? norm.squareRoot() : 1
        var largest: Float = 0
        for value in floats { largest = max(largest, abs(value / norm)) }
        let scale = largest > 0 ? largest / 127 : 1
        self.model = model
        self.scale = scale
        self.values = floats.map { Int8(clamping: Int(($0 / norm / scale).rounded())) }
    }

    /// A vector read back from storage or the wire, checked.
    package init(model: String, scale: Float, values: [Int8]) throws {
        guard Self.isValidModel(model) else { throw TMWSError(.invalidInput, "vector: malformed model name", field: "vector.model") }
        guard (8...Self.maximumDimension).contains(values.count) else {
            throw TMWSError(.invalidInput, "vector: dimension must be 8 to \(Self.maximumDimension)", field: "vector.data")
        }
        guard scale.isFinite, scale > 0, scale <= 1 else { throw TMWSError(.invalidInput, "vector: scale out of range", field: "vector.scale") }
        var squares: Float = 0
        for value in values { squares += Float(value) * Float(value) }
        let length = squares.squareRoot() * scale
        guard (0.9...1.1).contains(length) else { throw TMWSError(.invalidInput, "vector: not normalised", field: "vector.data") }
        self.model = model
        self.scale = scale
        self.values = values
    }

    /// 1–100 characters of `A-Z a-z 0-9 . _ - : / @ +`.
    package static func isValidModel(_ model: String) -> Bool {
        !model.isEmpty && model.utf8.count <= maximumModelLength
            && model.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-:/@+".unicodeScalars.contains($0))
            }
    }

    /// Cosine similarity (both sides are normalised).
    package func cosine(_ other: MemoryVector) -> Double {
        guard other.values.count == values.count else { return 0 }
        var dot: Int32 = 0
        for index in values.indices { dot &+= Int32(values[index]) * Int32(other.values[index]) }
        return Double(Float(dot) * scale * other.scale)
    }

    /// The values' bytes (two's complement), as stored.
    package var bytes: [UInt8] { values.map { UInt8(bitPattern: $0) } }

    package init(model: String, scale: Float, bytes: some Collection<UInt8>) throws {
        try self.init(model: model, scale: scale, values: bytes.map { Int8(bitPattern: $0) })
    }
}

// The wire form inside change events: `{"model", "scale", "data": base64 of the int8 values}`.
extension MemoryVector: Codable {
    enum CodingKeys: String, CodingKey {
        case model, scale, data
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let model = try container.decode(String.self, forKey: .model)
        let scale = Float(try container.decode(Double.self, forKey: .scale))
        let text = try container.decode(String.self, forKey: .data)
        guard text.utf8.count <= (Self.maximumDimension + 2) / 3 * 4, let data = Data(base64Encoded: text) else {
            throw TMWSError(.invalidInput, "vector: malformed data", field: "vector.data")
        }
        try self.init(model: model, scale: scale, bytes: data)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(Double(scale), forKey: .scale)
        try container.encode(Data(bytes).base64EncodedString(), forKey: .data)
    }

    /// The same bytes `encode(to:)` writes with sorted keys, for the JSON writer.
    package var jsonValue: JSONValue {
        .object(["data": .string(Data(bytes).base64EncodedString()), "model": .string(model), "scale": .number(Double(scale))])
    }
}
