import Foundation

/// Writes a ZIP archive (PKWARE APPNOTE 6.3) of stored, uncompressed entries: signed PDFs do
/// not compress, and a stored entry is its file's bytes, so the archive's contents can be
/// checked byte for byte. Entries and the archive stay below 4 GiB (no ZIP64).
struct ZipWriter {
    private var output: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    /// The archive's fixed modification time (1980-01-01 00:00, MS-DOS format), so that the same
    /// content gives the same bytes.
    private static let dosTime: UInt16 = 0, dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    mutating func add(_ name: String, _ data: [UInt8]) throws {
        let nameBytes = Array(name.utf8)
        guard data.count < Int(UInt32.max), output.count + data.count < Int(UInt32.max) - 65_536 else {
            throw StoreError.refused("\(name): the export is larger than a ZIP archive without ZIP64 can hold (4 GiB)")
        }
        let crc = Self.crc32(data)
        let offset = UInt32(output.count)
        // Local file header; general purpose bit 11: the name is UTF-8.
        output += Self.le32(0x0403_4B50) + Self.le16(20) + Self.le16(0x0800) + Self.le16(0) + Self.le16(Self.dosTime)
            + Self.le16(Self.dosDate) + Self.le32(crc) + Self.le32(UInt32(data.count)) + Self.le32(UInt32(data.count))
            + Self.le16(UInt16(nameBytes.count)) + Self.le16(0) + nameBytes
        output += data
        central += Self.le32(0x0201_4B50) + Self.le16(20) + Self.le16(20) + Self.le16(0x0800) + Self.le16(0)
            + Self.le16(Self.dosTime) + Self.le16(Self.dosDate) + Self.le32(crc) + Self.le32(UInt32(data.count))
            + Self.le32(UInt32(data.count)) + Self.le16(UInt16(nameBytes.count)) + Self.le16(0) + Self.le16(0)
            + Self.le16(0) + Self.le16(0) + Self.le32(0o100644 << 16) + Self.le32(offset) + nameBytes
        count += 1
    }

    /// The whole archive.
    func finish() -> [UInt8] {
        output + central + Self.le32(0x0605_4B50) + Self.le16(0) + Self.le16(0) + Self.le16(UInt16(count))
            + Self.le16(UInt16(count)) + Self.le32(UInt32(central.count)) + Self.le32(UInt32(output.count)) + Self.le16(0)
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }

    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
