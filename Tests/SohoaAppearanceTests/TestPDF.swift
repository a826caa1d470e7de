import SohoaPDF
import Foundation
import SohoaAppearance

/// A one-page A4 PDF written by hand around an appearance: the page's content draws the
/// appearance's Form XObject at a given place (`q 1 0 0 1 x y cm /Blk Do Q`).
struct TestPDF {
    static let pageWidth = 595.0
    static let pageHeight = 842.0

    /// Builds the appearance with object numbers from 5 on (1–4 are the catalog, the page
    /// tree, the page and its content) and places it with its lower-left corner at `x`, `y`.
    static func bytes(x: Double, y: Double,
                      build: (_ allocate: () -> Int) throws -> (appearance: Int, objects: [PDFObject])) throws -> [UInt8] {
        var next = 5
        let made = try build {
            defer { next += 1 }
            return next
        }
        let content = "q 1 0 0 1 \(x) \(y) cm /Blk Do Q\n"
        var objects: [(Int, [UInt8])] = [
            (1, Array("<< /Type /Catalog /Pages 2 0 R >>".utf8)),
            (2, Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8)),
            (3, Array(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Int(pageWidth)) \(Int(pageHeight))] "
                + "/Resources << /XObject << /Blk \(made.appearance) 0 R >> >> /Contents 4 0 R >>").utf8)),
            (4, Array("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream".utf8)),
        ]
        for object in made.objects {
            if let data = object.streamData {
                var dictionary = object.dictionary
                guard dictionary.hasSuffix(">>") else { throw TestPDFError.notADictionary(object.id) }
                dictionary.removeLast(2)
                objects.append((object.id, Array("\(dictionary) /Length \(data.count) >>\nstream\n".utf8) + data
                    + Array("\nendstream".utf8)))
            } else {
                objects.append((object.id, Array(object.dictionary.utf8)))
            }
        }
        objects.sort { $0.0 < $1.0 }
        var file = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int: Int] = [:]
        for (id, body) in objects {
            offsets[id] = file.count
            file += Array("\(id) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let size = (objects.map(\.0).max() ?? 0) + 1
        let xref = file.count
        var table = "xref\n0 \(size)\n0000000000 65535 f \n"
        for id in 1..<size {
            if let offset = offsets[id] {
                table += String(format: "%010d 00000 n \n", offset)
            } else {
                table += "0000000000 65535 f \n"
            }
        }
        table += "trailer\n<< /Size \(size) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return file + Array(table.utf8)
    }
}

enum TestPDFError: Error {
    case notADictionary(Int)
}
