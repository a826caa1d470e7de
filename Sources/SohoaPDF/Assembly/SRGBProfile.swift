import Foundation

/// A version 2 sRGB ICC profile (matrix and tone curves), built from the sRGB specification's
/// constants: the output intent PDF/A needs, made here so that nothing is downloaded or
/// copied. Always the same bytes.
enum SRGBProfile {
    static let bytes: [UInt8] = build()

    private static func build() -> [UInt8] {
        var tags: [(signature: String, data: [UInt8])] = []
        tags.append(("desc", descriptionTag("sRGB IEC61966-2.1")))
        tags.append(("cprt", textTag("No copyright, use freely")))
        tags.append(("wtpt", xyzTag(0.9642, 1.0, 0.8249)))
        // sRGB primaries adapted to the D50 profile connection space (Bradford).
        tags.append(("rXYZ", xyzTag(0.4361, 0.2225, 0.0139)))
        tags.append(("gXYZ", xyzTag(0.3851, 0.7169, 0.0971)))
        tags.append(("bXYZ", xyzTag(0.1431, 0.0606, 0.7141)))
        let curve = toneCurveTag()
        tags.append(("rTRC", curve))
        tags.append(("gTRC", curve))
        tags.append(("bTRC", curve))

        let tableSize = 4 + tags.count * 12
        var offset = 128 + tableSize
        var table = be32(UInt32(tags.count))
        var data: [UInt8] = []
        var placed: [[UInt8]: Int] = [:]  // identical tag data is stored once
        for tag in tags {
            let at: Int
            if let existing = placed[tag.data] {
                at = existing
            } else {
                at = offset
                placed[tag.data] = at
                var padded = tag.data
                while padded.count % 4 != 0 { padded.append(0) }
                data += padded
                offset += padded.count
            }
            table += Array(tag.signature.utf8) + be32(UInt32(at)) + be32(UInt32(tag.data.count))
        }
        var header = [UInt8](repeating: 0, count: 128)
        func put(_ bytes: [UInt8], at index: Int) { header.replaceSubrange(index..<(index + bytes.count), with: bytes) }
        put(be32(UInt32(offset)), at: 0)
        put([0x02, 0x10, 0x00, 0x00], at: 8)  // version 2.1
        put(Array("mntr".utf8), at: 12)
        put(Array("RGB ".utf8), at: 16)
        put(Array("XYZ ".utf8), at: 20)
        put(be16(2025) + be16(1) + be16(1), at: 24)  // a fixed date keeps the bytes fixed
        put(Array("acsp".utf8), at: 36)
        put(s15Fixed16(0.9642) + s15Fixed16(1.0) + s15Fixed16(0.8249), at: 68)  // D50
        return header + table + data
    }

    private static func descriptionTag(_ text: String) -> [UInt8] {
        let ascii = Array(text.utf8) + [0]
        return Array("desc".utf8) + [0, 0, 0, 0] + be32(UInt32(ascii.count)) + ascii
            + [UInt8](repeating: 0, count: 4 + 4 + 2 + 1 + 67)  // no Unicode, no ScriptCode
    }

    private static func textTag(_ text: String) -> [UInt8] {
        Array("text".utf8) + [0, 0, 0, 0] + Array(text.utf8) + [0]
    }

    private static func xyzTag(_ x: Double, _ y: Double, _ z: Double) -> [UInt8] {
        Array("XYZ ".utf8) + [0, 0, 0, 0] + s15Fixed16(x) + s15Fixed16(y) + s15Fixed16(z)
    }

    /// The sRGB transfer function sampled at 1024 points.
    private static func toneCurveTag() -> [UInt8] {
        let count = 1024
        var bytes = Array("curv".utf8) + [0, 0, 0, 0] + be32(UInt32(count))
        for index in 0..<count {
            let v = Double(index) / Double(count - 1)
            let linear = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            bytes += be16(UInt16((linear * 65535).rounded()))
        }
        return bytes
    }

    private static func s15Fixed16(_ value: Double) -> [UInt8] {
        be32(UInt32(bitPattern: Int32((value * 65536).rounded())))
    }

    private static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func be16(_ value: UInt16) -> [UInt8] {
        [UInt8(value >> 8), UInt8(value & 0xFF)]
    }
}
