import CNIOExtrasZlib
import Foundation
import NIOCore

/// gzip (RFC 1952) for responses, with zlib.
enum Gzip {
    /// The level responses are compressed at: most of the saving for a fraction of the time of 9.
    static let level: Int32 = 5

    /// `bytes` as one gzip member.
    static func compress(_ bytes: ByteBuffer) -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: bytes.readableBytes / 4 + 64)
        output.writeBytes(header)
        var body = Array(bytes.readableBytesView)
        deflate(&body, finish: true, into: &output)
        writeTrailer(crc: crc(body), length: body.count, into: &output)
        return output
    }

    static let header: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]

    static func writeTrailer(crc: UInt32, length: Int, into output: inout ByteBuffer) {
        output.writeInteger(crc, endianness: .little)
        output.writeInteger(UInt32(truncatingIfNeeded: length), endianness: .little)
    }

    static func crc<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var array = Array(bytes)
        return array.withUnsafeMutableBytes { raw in
            UInt32(cnioextras_z_crc32(0, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(raw.count)))
        }
    }

    static func combine(_ first: UInt32, _ second: UInt32, secondLength: Int) -> UInt32 {
        UInt32(cnioextras_z_crc32_combine(UInt(first), UInt(second), Int(secondLength)))
    }

    /// Raw deflate of `input` appended to `output`: the last block final when `finish`, else
    /// ended by a full flush (byte-aligned, no reference back), so more blocks can follow.
    static func deflate(_ input: inout [UInt8], finish: Bool, into output: inout ByteBuffer) {
        var stream = cnioextras_z_stream()
        // Raw deflate (negative window bits): the gzip header and trailer are written here.
        guard CNIOExtrasZlib_deflateInit2(&stream, level, CNIOEXTRAS_Z_DEFLATED, -15, 8, CNIOEXTRAS_Z_DEFAULT_STRATEGY) == CNIOEXTRAS_Z_OK else {
            return
        }
        defer { cnioextras_z_deflateEnd(&stream) }
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            var result: Int32 = CNIOEXTRAS_Z_OK
            while true {
                _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 16 * 1024) { space in
                    stream.next_out = CNIOExtrasZlib_voidPtr_to_BytefPtr(space.baseAddress)
                    stream.avail_out = UInt32(space.count)
                    result = cnioextras_z_deflate(&stream, finish ? CNIOEXTRAS_Z_FINISH : CNIOEXTRAS_Z_FULL_FLUSH)
                    return space.count - Int(stream.avail_out)
                }
                if result == CNIOEXTRAS_Z_STREAM_ERROR || result == CNIOEXTRAS_Z_BUF_ERROR { break }
                if finish ? result == CNIOEXTRAS_Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out > 0) { break }
            }
        }
    }

    /// `text` as stored (uncompressed) deflate blocks, not final.
    static func stored(_ text: String, into output: inout ByteBuffer) {
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let chunk = bytes[start..<min(start + 65_535, bytes.count)]
            output.writeInteger(UInt8(0))
            output.writeInteger(UInt16(chunk.count), endianness: .little)
            output.writeInteger(~UInt16(chunk.count), endianness: .little)
            output.writeBytes(chunk)
            start += chunk.count
        }
    }

    /// The empty final block that ends a deflate stream made of pieces.
    static let finalBlock: [UInt8] = [1, 0, 0, 0xff, 0xff]

    /// Whether the request's `Accept-Encoding` allows gzip (and does not refuse it with `q=0`).
    static func accepted(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.lowercased().split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" } }
            guard fields.first == "gzip" || fields.first == "*" else { continue }
            let quality = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }
}

/// A ``SlotTemplate`` kept compressed: each fixed piece deflated once, the slots' values put in
/// per response as stored blocks, so a hot page is sent gzipped without compressing it per request.
struct GzipTemplate: Sendable {
    private let pieces: [ByteBuffer]
    private let pieceCRCs: [UInt32]
    private let pieceLengths: [Int]
    private let slots: [Int]

    init(_ template: SlotTemplate) {
        let (texts, slots) = template.parts
        self.slots = slots
        pieces = texts.map { text in
            var output = ByteBuffer()
            var bytes = Array(text.utf8)
            Gzip.deflate(&bytes, finish: false, into: &output)
            return output
        }
        pieceCRCs = texts.map { Gzip.crc($0.utf8) }
        pieceLengths = texts.map(\.utf8.count)
    }

    /// The page with `values[i]` in slot `i`, gzipped.
    func bytes(_ values: [String]) -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: pieces.reduce(64) { $0 + $1.readableBytes } + values.reduce(0) { $0 + $1.utf8.count + 5 })
        output.writeBytes(Gzip.header)
        var crc: UInt32 = 0
        var length = 0
        for index in pieces.indices {
            output.writeImmutableBuffer(pieces[index])
            crc = Gzip.combine(crc, pieceCRCs[index], secondLength: pieceLengths[index])
            length += pieceLengths[index]
            guard index < slots.count else { continue }
            let value = values.indices.contains(slots[index]) ? values[slots[index]] : ""
            guard !value.isEmpty else { continue }
            Gzip.stored(value, into: &output)
            crc = Gzip.combine(crc, Gzip.crc(value.utf8), secondLength: value.utf8.count)
            length += value.utf8.count
        }
        output.writeBytes(Gzip.finalBlock)
        Gzip.writeTrailer(crc: crc, length: length, into: &output)
        return output
    }
}
