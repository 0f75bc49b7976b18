extension Sequence<UInt8> {
    /// The bytes as lower-case hexadecimal, two digits each (what `String(format: "%02x")` gives,
    /// without Foundation's formatter, which is slow on a path every request takes).
    public var hexEncoded: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
