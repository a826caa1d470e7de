/// The header segments of a JPEG file, read up to the first scan without decoding anything.
///
/// TurboJPEG reports size and colour space but not the coding process, the JFIF density or
/// the Adobe transform flag, which the PDF assembly needs; those are read here.
struct JPEGMarkers {
    enum Problem: Error, Equatable {
        case truncated(String)
        case damaged(String)
    }

    /// SOF: the frame header.
    var width = 0
    var height = 0
    var components = 0
    var precision = 0
    var progressive = false
    /// The coding process's SOF marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...).
    var frameMarker: UInt8 = 0
    /// JFIF APP0 density: unit (1 inch, 2 cm) and values.
    var density: (unit: Int, x: Int, y: Int)?
    /// Adobe APP14 present, and its colour transform flag.
    var adobeTransform: Int?
    /// The EXIF block from APP1, when there is one.
    var exif: EXIF?

    init(_ bytes: [UInt8]) throws(Problem) {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw .damaged("no JPEG start marker") }
        var offset = 2
        while true {
            guard offset + 4 <= bytes.count else { throw .truncated("the file ends inside the JPEG header") }
            guard bytes[offset] == 0xFF else { throw .damaged("a JPEG marker is missing at byte \(offset)") }
            var marker = bytes[offset + 1]
            while marker == 0xFF, offset + 2 < bytes.count {  // fill bytes
                offset += 1
                marker = bytes[offset + 1]
            }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
                offset += 2
                continue
            }
            guard offset + 4 <= bytes.count else { throw .truncated("the file ends inside the JPEG header") }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let start = offset + 4
            guard length >= 2, offset + 2 + length <= bytes.count else {
                throw .truncated("a JPEG header segment is cut off")
            }
            let segment = bytes[start..<(offset + 2 + length)]
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard segment.count >= 6 else { throw .damaged("the JPEG frame header is too short") }
                let s = segment.startIndex
                precision = Int(segment[s])
                height = Int(segment[s + 1]) << 8 | Int(segment[s + 2])
                width = Int(segment[s + 3]) << 8 | Int(segment[s + 4])
                components = Int(segment[s + 5])
                frameMarker = marker
                progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE
            case 0xE0 where segment.starts(with: Array("JFIF\0".utf8)) && segment.count >= 12:
                let s = segment.startIndex
                density = (unit: Int(segment[s + 7]),
                           x: Int(segment[s + 8]) << 8 | Int(segment[s + 9]),
                           y: Int(segment[s + 10]) << 8 | Int(segment[s + 11]))
            case 0xE1 where exif == nil && segment.starts(with: Array("Exif".utf8)):
                exif = EXIF(app1: segment)
            case 0xEE where segment.starts(with: Array("Adobe".utf8)) && segment.count >= 12:
                adobeTransform = Int(segment[segment.startIndex + 11])
            case 0xDA:
                guard frameMarker != 0 else { throw .damaged("the image data starts before the JPEG frame header") }
                return
            case 0xD9:
                throw .truncated("the JPEG file ends before any image data")
            default:
                break
            }
            offset += 2 + length
        }
    }
}
