import CQPDF
import SohoaImaging

/// Where page 1's scan has strokes, as the assembler records it in the page's private data
/// (ISO 32000-1 §14.5, page-piece dictionaries), so that signing does not decode the scan
/// again to find blank paper for a signature block:
///
///     /PieceInfo << /Sohoa << /LastModified (D:…) /Private << /InkMap <<
///         /Image 7 0 R /Matrix [595.2 0 0 841.92 0 0] /Width 310 /Height 439 /Strokes 9 0 R >> >> >> >>
///
/// `/Strokes` is a Flate stream of `Height` rows of `(Width + 7) / 8` bytes, the first pixel
/// in each byte's high bit, 1 for a stroke pixel (`StrokePixels`); an image without paper has
/// `/AllInk true` instead. `/Matrix` says that the page's content draws the image with that
/// matrix and nothing else that shows (its text layer is not drawn), so that the content need
/// not be read either; a record without it describes the image only. Anyone can write such a
/// dictionary into a file: it is read only when the caller knows the page was made by Sohoa's
/// assembler and not changed since.
enum RecordedInk {
    /// The page-piece dictionary's name.
    static let application = "/Sohoa"

    /// Records `strokes` for `image` on `page` (both qpdf objects of the document being built),
    /// whose content draws only the image, with `matrix`, and text that is not drawn. The dates
    /// are set by `date(_:onPage:)` once the document's date is known.
    static func record(_ strokes: StrokePixels, of image: qpdf_oh, drawnWith matrix: PDFMatrix, onPage page: qpdf_oh,
                       q: qpdf_data) throws {
        let map = qpdf_oh_new_dictionary(q)
        qpdf_oh_replace_key(q, map, "/Image", image)
        let placement = [matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f].map { PDFNumber.text($0) }
        qpdf_oh_replace_key(q, map, "/Matrix", qpdf_oh_parse(q, "[\(placement.joined(separator: " "))]"))
        qpdf_oh_replace_key(q, map, "/Width", qpdf_oh_new_integer(q, Int64(strokes.width)))
        qpdf_oh_replace_key(q, map, "/Height", qpdf_oh_new_integer(q, Int64(strokes.height)))
        if strokes.allInk {
            qpdf_oh_replace_key(q, map, "/AllInk", qpdf_oh_new_bool(q, 1))
        } else {
            let compressed: [UInt8]
            do { compressed = try Flate.compress(strokes.bits, level: .balanced) } catch {
                throw PDFError(file: "ink map", reason: error.description)
            }
            let stream = qpdf_oh_new_stream(q)
            compressed.withUnsafeBufferPointer { bytes in
                qpdf_oh_replace_stream_data(q, stream, bytes.baseAddress, bytes.count, qpdf_oh_new_name(q, "/FlateDecode"),
                                            qpdf_oh_new_null(q))
            }
            qpdf_oh_replace_key(q, map, "/Strokes", stream)
        }
        let data = qpdf_oh_new_dictionary(q)
        let privateData = qpdf_oh_new_dictionary(q)
        qpdf_oh_replace_key(q, privateData, "/InkMap", map)
        qpdf_oh_replace_key(q, data, "/Private", privateData)
        let pieces = qpdf_oh_new_dictionary(q)
        qpdf_oh_replace_key(q, pieces, application, data)
        qpdf_oh_replace_key(q, page, "/PieceInfo", pieces)
    }

    /// Sets the /LastModified dates a page-piece dictionary requires, on the piece and on the page.
    static func date(_ date: String, onPage page: qpdf_oh, q: qpdf_data) {
        let data = qpdf_oh_get_key(q, qpdf_oh_get_key(q, page, "/PieceInfo"), application)
        guard qpdf_oh_is_dictionary(q, data) != 0 else { return }
        qpdf_oh_replace_key(q, data, "/LastModified", qpdf_oh_new_string(q, date))
        qpdf_oh_replace_key(q, page, "/LastModified", qpdf_oh_new_string(q, date))
    }

    /// What page 1 records, read back.
    struct Record {
        /// The image's object number.
        let image: Int
        let strokes: StrokePixels
        /// The image and the matrix the page's content draws it with, when the record says that
        /// the content shows nothing else.
        let onlyDrawing: (image: qpdf_oh, matrix: PDFMatrix)?
    }

    /// What is recorded on `page`; nil when there is no record or it is not well formed.
    static func read(page: qpdf_oh, access: ObjectAccess) -> Record? {
        let map = access.value(access.value(access.value(access.value(page, "/PieceInfo"), application), "/Private"), "/InkMap")
        let imageObject = access.value(map, "/Image")
        guard access.isDictionary(map), let image = access.id(imageObject),
              let width = access.integer(access.value(map, "/Width")), let height = access.integer(access.value(map, "/Height")),
              (1...8192).contains(width), (1...8192).contains(height) else { return nil }
        let matrix = PDFMatrix(access.items(access.value(map, "/Matrix")).compactMap { access.number($0) })
        let onlyDrawing = matrix.flatMap { access.isStream(imageObject) ? (imageObject, $0) : nil }
        if qpdf_oh_is_bool(access.q, access.value(map, "/AllInk")) != 0, qpdf_oh_get_bool_value(access.q, access.value(map, "/AllInk")) != 0 {
            return StrokePixels(allInkWidth: width, height: height).map { Record(image: image, strokes: $0, onlyDrawing: onlyDrawing) }
        }
        let stream = access.value(map, "/Strokes")
        let expected = (width + 7) / 8 * height
        guard access.isStream(stream), access.name(access.value(stream, "/Filter")) == "/FlateDecode",
              !access.has(stream, "/DecodeParms"), let stored = access.integer(access.value(stream, "/Length")),
              stored <= expected + 1024, let compressed = access.rawStreamData(stream),
              let bits = try? Flate.decompress(compressed, limit: expected), bits.count == expected,
              let strokes = StrokePixels(width: width, height: height, bits: bits) else { return nil }
        return Record(image: image, strokes: strokes, onlyDrawing: onlyDrawing)
    }
}
