import CQPDF
import Foundation
import SohoaImaging

/// Builds a new PDF page by page with libqpdf: one image per page, placed upright, then the
/// metadata, and writes it deterministically (the same pages and metadata give the same bytes).
///
/// Image data is handed over already compressed, and qpdf is told to leave every stream as it
/// is, so the bytes of a passed-through JPEG or CCITT strip reach the file untouched.
public final class PDFDocumentBuilder {
    private var handle: qpdf_data?
    private var pageCount = 0
    private var hasCMYK = false
    private let name: String
    /// The font the pages' text layers use, made when the first is added and filled in by
    /// `setTextFont` (0: no page has a text layer).
    private var textFontID: Int32 = 0
    /// Pages that record their image's strokes (object numbers): they get their dates at writing.
    private var inkPages: [Int32] = []

    private static let errorsBit: QPDF_ERROR_CODE = 2

    /// Starts an empty document; `name` is used in error messages.
    public init(name: String) throws {
        self.name = name
        handle = qpdf_init()
        qpdf_silence_errors(handle)
        qpdf_set_suppress_warnings(handle, 1)
        guard qpdf_empty_pdf(handle) & Self.errorsBit == 0 else {
            throw lastError("qpdf could not start a new document")
        }
    }

    deinit {
        qpdf_cleanup(&handle)
    }

    /// Whether PDF/A-2b can be claimed for what has been added: DeviceCMYK images would need a
    /// CMYK output intent, and the document carries an sRGB one.
    public var canClaimPDFA: Bool { !hasCMYK }

    /// Adds a page of `width × height` points showing `image` drawn with `placement`, and
    /// under it, when given, `textLayer`: a Flate-compressed content stream of text that is
    /// not drawn, set in the font named `/OCR` (see `setTextFont`). With `ink`, where the
    /// image has strokes is recorded in the page's private data (`RecordedInk`), for placing
    /// signature blocks later without decoding the image again.
    public func addPage(image: PDFPageImage, width: Double, height: Double, placement: PDFImagePlacement,
                        textLayer: [UInt8]? = nil, ink: StrokePixels? = nil) throws {
        guard width > 0, height > 0, width <= 14_400, height <= 14_400 else {
            throw PDFError(file: name, reason: "a page of \(Int(width)) × \(Int(height)) points is outside what PDF allows")
        }
        let (stream, dictionary) = imageStream(width: image.width, height: image.height,
                                               bitsPerComponent: image.bitsPerComponent,
                                               colourSpace: colourSpace(image.colourSpace))
        if image.invertedCMYK {
            set(dictionary, "/Decode", qpdf_oh_parse(handle, "[1 0 1 0 1 0 1 0]"))
        }
        let (filter, parameters) = filterObjects(image)
        image.data.withUnsafeBytes { bytes in
            qpdf_oh_replace_stream_data(handle, stream, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                        bytes.count, filter, parameters)
        }
        if case .deviceCMYK = image.colourSpace { hasCMYK = true }
        if let mask = image.softMask {
            set(dictionary, "/SMask", softMaskStream(mask, image: image))
        }

        let values = placement.matrix(width: width, height: height)
        let content = Array("q \(values.map(Self.number).joined(separator: " ")) cm /Im0 Do Q\n".utf8)
        let contentStream = qpdf_oh_new_stream(handle)
        content.withUnsafeBytes { bytes in
            qpdf_oh_replace_stream_data(handle, contentStream, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                        bytes.count, qpdf_oh_new_null(handle), qpdf_oh_new_null(handle))
        }
        let page = qpdf_oh_parse(handle, "<< /Type /Page /MediaBox [0 0 \(Self.number(width)) \(Self.number(height))] >>")
        let resources = qpdf_oh_parse(handle, "<< /XObject << >> >>")
        set(qpdf_oh_get_key(handle, resources, "/XObject"), "/Im0", stream)
        set(page, "/Resources", resources)
        if let textLayer, !textLayer.isEmpty {
            if textFontID == 0 {
                textFontID = qpdf_oh_get_object_id(handle, qpdf_make_indirect_object(handle, qpdf_oh_new_dictionary(handle)))
            }
            let textStream = qpdf_oh_new_stream(handle)
            textLayer.withUnsafeBytes { bytes in
                qpdf_oh_replace_stream_data(handle, textStream, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            bytes.count, qpdf_oh_new_name(handle, "/FlateDecode"), qpdf_oh_new_null(handle))
            }
            let fonts = qpdf_oh_new_dictionary(handle)
            set(fonts, "/OCR", qpdf_get_object_by_id(handle, textFontID, 0))
            set(resources, "/Font", fonts)
            // The text first: the page image is drawn over it.
            let contents = qpdf_oh_new_array(handle)
            qpdf_oh_append_item(handle, contents, textStream)
            qpdf_oh_append_item(handle, contents, contentStream)
            set(page, "/Contents", contents)
        } else {
            set(page, "/Contents", contentStream)
        }
        if let ink, let handle {
            // The content draws the image with this matrix (the record writes it as the content
            // does), and under it only text that is not drawn.
            guard let matrix = PDFMatrix(values) else {
                throw PDFError(file: name, reason: "page \(pageCount + 1)'s image placement is not a finite matrix")
            }
            try RecordedInk.record(ink, of: stream, drawnWith: matrix, onPage: page, q: handle)
        }
        let indirect = qpdf_make_indirect_object(handle, page)
        if ink != nil { inkPages.append(qpdf_oh_get_object_id(handle, indirect)) }
        guard qpdf_add_page(handle, handle, indirect, 0) & Self.errorsBit == 0 else {
            throw lastError("qpdf could not add page \(pageCount + 1)")
        }
        qpdf_oh_release_all(handle)
        pageCount += 1
    }

    /// Whether a page has a text layer, whose font `setTextFont` must give before writing.
    public var needsTextFont: Bool { textFontID != 0 }

    /// Gives the font of the pages' text layers: `make` returns objects numbered by its
    /// `allocate` (streams already compressed, their dictionaries naming their /Filter), the
    /// font dictionary the pages name among them.
    public func setTextFont(_ make: (_ allocate: () -> Int) throws -> (font: Int, objects: [PDFObject])) throws {
        guard textFontID != 0 else { return }
        // The objects are made with numbers of their own, then given this document's: streams
        // are new objects here from the start, the font dictionary is the one the pages name.
        var next = 0
        let (font, objects) = try make {
            next += 1
            return next
        }
        var ids: [Int: Int32] = [:]
        for object in objects {
            guard ids[object.id] == nil else {
                throw PDFError(file: name, reason: "the text layer's font gives object \(object.id) twice")
            }
            if object.streamData != nil {
                ids[object.id] = qpdf_oh_get_object_id(handle, qpdf_oh_new_stream(handle))
            } else if object.id == font {
                ids[object.id] = textFontID
            } else {
                // A dictionary, not null, until it is replaced: qpdf drops a key whose value is null.
                ids[object.id] = qpdf_oh_get_object_id(handle, qpdf_make_indirect_object(handle, qpdf_oh_new_dictionary(handle)))
            }
        }
        guard ids[font] == textFontID else { throw PDFError(file: name, reason: "the text layer's font is not among its objects") }
        for object in objects {
            guard let id = ids[object.id], let value = parseWithReferences(object.dictionary, ids: ids) else {
                throw lastError("the text layer's font object \(object.id) cannot be read")
            }
            guard let data = object.streamData else {
                qpdf_replace_object(handle, id, 0, value)
                continue
            }
            let stream = qpdf_get_object_by_id(handle, id, 0)
            data.withUnsafeBytes { bytes in
                qpdf_oh_replace_stream_data(handle, stream, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            bytes.count, qpdf_oh_get_key(handle, value, "/Filter"), qpdf_oh_new_null(handle))
            }
            let dictionary = qpdf_oh_get_dict(handle, stream)
            var keys: [String] = []
            qpdf_oh_begin_dict_key_iter(handle, value)
            while qpdf_oh_dict_more_keys(handle) != 0, let key = qpdf_oh_dict_next_key(handle) { keys.append(String(cString: key)) }
            for key in keys where key != "/Filter" && key != "/Length" {
                set(dictionary, key, qpdf_oh_get_key(handle, value, key))
            }
        }
        qpdf_oh_release_all(handle)
    }

    /// Writes the document to `path` with `metadata`; as PDF/A-2b (XMP identification and an
    /// sRGB output intent) when `pdfa` is true and the content allows it.
    ///
    /// `identifier` (16 bytes) becomes both elements of the trailer's /ID: the caller derives
    /// it from what makes the document (its sources, pages and metadata), so that the same
    /// input gives the same file. qpdf's own deterministic /ID would hash every byte written
    /// (MD5 over the whole file, one core, a seventh of an 80 MB assembly); qpdf writes its fixed
    /// placeholder instead, which is then replaced in the trailer, the only place it stands.
    ///
    /// - Returns: whether PDF/A-2b was claimed.
    @discardableResult
    public func write(to path: String, metadata: PDFMetadata, pdfa: Bool, identifier: [UInt8]) throws -> Bool {
        guard identifier.count == 16 else { throw PDFError(file: name, reason: "a document identifier is 16 bytes") }
        guard pageCount > 0 else { throw PDFError(file: name, reason: "a PDF needs at least one page") }
        if textFontID != 0, qpdf_oh_has_key(handle, qpdf_get_object_by_id(handle, textFontID, 0), "/Subtype") == 0 {
            throw PDFError(file: name, reason: "a page has a text layer but its font was not given")
        }
        let claimPDFA = pdfa && canClaimPDFA
        let root = qpdf_get_root(handle)
        let trailer = qpdf_get_trailer(handle)
        let info = qpdf_make_indirect_object(handle, infoDictionary(metadata))
        set(trailer, "/Info", info)
        // A page's private data must say when the page last changed: when its scan was made, as
        // the scans record it; where they record no date, the epoch stands for "not known" (the
        // time of writing would make the same scans give different files).
        if let handle {
            for page in inkPages {
                RecordedInk.date(metadata.pdfCreationDate ?? "D:19700101000000Z", onPage: qpdf_get_object_by_id(handle, page, 0), q: handle)
            }
        }

        let xmp = Array(XMPPacket.make(metadata, pdfaPart2B: claimPDFA).utf8)
        let metadataStream = qpdf_oh_new_stream(handle)
        xmp.withUnsafeBytes { bytes in
            qpdf_oh_replace_stream_data(handle, metadataStream, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                        bytes.count, qpdf_oh_new_null(handle), qpdf_oh_new_null(handle))
        }
        let metadataDictionary = qpdf_oh_get_dict(handle, metadataStream)
        set(metadataDictionary, "/Type", qpdf_oh_new_name(handle, "/Metadata"))
        set(metadataDictionary, "/Subtype", qpdf_oh_new_name(handle, "/XML"))
        set(root, "/Metadata", metadataStream)

        if claimPDFA {
            let profile = qpdf_oh_new_stream(handle)
            SRGBProfile.bytes.withUnsafeBytes { bytes in
                qpdf_oh_replace_stream_data(handle, profile, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                            bytes.count, qpdf_oh_new_null(handle), qpdf_oh_new_null(handle))
            }
            set(qpdf_oh_get_dict(handle, profile), "/N", qpdf_oh_new_integer(handle, 3))
            let intent = qpdf_oh_parse(handle, """
                << /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) \
                /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) >>
                """)
            set(intent, "/DestOutputProfile", profile)
            let intents = qpdf_oh_new_array(handle)
            qpdf_oh_append_item(handle, intents, intent)
            set(root, "/OutputIntents", intents)
        }

        guard qpdf_init_write(handle, path) & Self.errorsBit == 0 else {
            throw lastError("the file cannot be written")
        }
        qpdf_set_static_ID(handle, 1)  // its placeholder, replaced below
        qpdf_set_compress_streams(handle, 0)
        qpdf_set_decode_level(handle, qpdf_dl_none)
        qpdf_set_object_stream_mode(handle, qpdf_o_disable)
        qpdf_set_newline_before_endstream(handle, 1)  // PDF/A: an EOL before every endstream
        qpdf_set_minimum_pdf_version(handle, "1.7")
        guard qpdf_write(handle) & Self.errorsBit == 0 else {
            throw lastError("the file cannot be written")
        }
        try TrailerIdentifier.replacePlaceholder(inFileAt: path, with: identifier)
        return claimPDFA
    }

    // MARK: - Objects

    /// `text` (one object in PDF syntax) as a qpdf object whose `N 0 R` refer to this
    /// document's objects `ids[N]`: qpdf parses text without a document, so each reference is
    /// parsed as a stand-in name first and then replaced by the object it names. Nil when the
    /// text cannot be parsed or names an object `ids` does not have.
    private func parseWithReferences(_ text: String, ids: [Int: Int32]) -> qpdf_oh? {
        let marker = "/SohoaReference."
        var rewritten = ""
        var tokens = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let (prefix, digits) = Self.splitTrailingDigits(token)
            if !digits.isEmpty, index + 2 < tokens.count, tokens[index + 1] == "0",
               tokens[index + 2].hasPrefix("R"), Self.isReferenceEnd(tokens[index + 2].dropFirst()) {
                tokens[index + 2] = String(tokens[index + 2].dropFirst())
                rewritten += prefix + marker + digits + " " + tokens[index + 2] + " "
                index += 3
                continue
            }
            rewritten += token + " "
            index += 1
        }
        let value = qpdf_oh_parse(handle, rewritten)
        guard qpdf_has_error(handle) == 0, qpdf_oh_is_initialized(handle, value) != 0 else { return nil }
        var unresolved = false
        func resolve(_ object: qpdf_oh) -> qpdf_oh {
            if qpdf_oh_is_name(handle, object) != 0, let name = qpdf_oh_get_name(handle, object) {
                let text = String(cString: name)
                if text.hasPrefix(marker) {
                    guard let given = Int(text.dropFirst(marker.count)), let id = ids[given] else {
                        unresolved = true
                        return object
                    }
                    return qpdf_get_object_by_id(handle, id, 0)
                }
                return object
            }
            if qpdf_oh_is_array(handle, object) != 0 {
                for position in 0..<qpdf_oh_get_array_n_items(handle, object) {
                    qpdf_oh_set_array_item(handle, object, position, resolve(qpdf_oh_get_array_item(handle, object, position)))
                }
            } else if qpdf_oh_is_dictionary(handle, object) != 0 {
                var keys: [String] = []
                qpdf_oh_begin_dict_key_iter(handle, object)
                while qpdf_oh_dict_more_keys(handle) != 0, let key = qpdf_oh_dict_next_key(handle) { keys.append(String(cString: key)) }
                for key in keys { set(object, key, resolve(qpdf_oh_get_key(handle, object, key))) }
            }
            return object
        }
        let resolved = resolve(value)
        return unresolved ? nil : resolved
    }

    /// `[12` → (`[`, `12`); `12` → (``, `12`); `/Name` → (`/Name`, ``).
    private static func splitTrailingDigits(_ token: String) -> (String, String) {
        let digits = token.reversed().prefix { $0.isASCII && $0.isNumber }
        let prefix = token.dropLast(digits.count)
        guard !digits.isEmpty, prefix.isEmpty || prefix.allSatisfy({ $0 == "[" || $0 == "<" }) else { return (token, "") }
        return (String(prefix), String(digits.reversed()))
    }

    /// What may follow `R` in a reference token: nothing, or closing brackets.
    private static func isReferenceEnd(_ rest: Substring) -> Bool {
        rest.allSatisfy { $0 == "]" || $0 == ">" }
    }

    /// A new image XObject stream and its dictionary, with the keys every image has.
    private func imageStream(width: Int, height: Int, bitsPerComponent: Int,
                             colourSpace: qpdf_oh) -> (stream: qpdf_oh, dictionary: qpdf_oh) {
        let stream = qpdf_oh_new_stream(handle)
        let dictionary = qpdf_oh_get_dict(handle, stream)
        set(dictionary, "/Type", qpdf_oh_new_name(handle, "/XObject"))
        set(dictionary, "/Subtype", qpdf_oh_new_name(handle, "/Image"))
        set(dictionary, "/Width", qpdf_oh_new_integer(handle, Int64(width)))
        set(dictionary, "/Height", qpdf_oh_new_integer(handle, Int64(height)))
        set(dictionary, "/BitsPerComponent", qpdf_oh_new_integer(handle, Int64(bitsPerComponent)))
        set(dictionary, "/ColorSpace", colourSpace)
        return (stream, dictionary)
    }

    private func softMaskStream(_ data: [UInt8], image: PDFPageImage) -> qpdf_oh {
        let (stream, _) = imageStream(width: image.width, height: image.height,
                                      bitsPerComponent: image.softMaskBitsPerComponent,
                                      colourSpace: qpdf_oh_new_name(handle, "/DeviceGray"))
        let parameters = qpdf_oh_parse(handle, "<< /Predictor 15 /Colors 1 /BitsPerComponent "
                                       + "\(image.softMaskBitsPerComponent) /Columns \(image.width) >>")
        data.withUnsafeBytes { bytes in
            qpdf_oh_replace_stream_data(handle, stream, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                        bytes.count, qpdf_oh_new_name(handle, "/FlateDecode"), parameters)
        }
        return stream
    }

    private func infoDictionary(_ metadata: PDFMetadata) -> qpdf_oh {
        let info = qpdf_oh_new_dictionary(handle)
        if let title = metadata.title { set(info, "/Title", qpdf_oh_new_unicode_string(handle, title)) }
        if let type = metadata.documentType { set(info, "/Subject", qpdf_oh_new_unicode_string(handle, type)) }
        if let keywords = metadata.keywordString { set(info, "/Keywords", qpdf_oh_new_unicode_string(handle, keywords)) }
        set(info, "/Creator", qpdf_oh_new_unicode_string(handle, metadata.creatorTool))
        set(info, "/Producer", qpdf_oh_new_unicode_string(handle, metadata.producer))
        if let date = metadata.pdfCreationDate {
            set(info, "/CreationDate", qpdf_oh_new_string(handle, date))
            set(info, "/ModDate", qpdf_oh_new_string(handle, date))
        }
        for (key, value) in metadata.extraInfo where key.allSatisfy({ $0.isASCII && $0.isLetter }) {
            set(info, "/" + key, qpdf_oh_new_unicode_string(handle, value))
        }
        return info
    }

    private func colourSpace(_ space: PDFPageImage.ColourSpace) -> qpdf_oh {
        switch space {
        case .deviceGray: return qpdf_oh_new_name(handle, "/DeviceGray")
        case .deviceRGB: return qpdf_oh_new_name(handle, "/DeviceRGB")
        case .deviceCMYK: return qpdf_oh_new_name(handle, "/DeviceCMYK")
        case .indexedRGB(let palette):
            let entries = max(1, palette.count / 3)
            let array = qpdf_oh_new_array(handle)
            qpdf_oh_append_item(handle, array, qpdf_oh_new_name(handle, "/Indexed"))
            qpdf_oh_append_item(handle, array, qpdf_oh_new_name(handle, "/DeviceRGB"))
            qpdf_oh_append_item(handle, array, qpdf_oh_new_integer(handle, Int64(entries - 1)))
            let lookup = palette.isEmpty ? [0, 0, 0] : Array(palette.prefix(entries * 3))
            let string = lookup.withUnsafeBytes { bytes in
                qpdf_oh_new_binary_string(handle, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
            }
            qpdf_oh_append_item(handle, array, string)
            return array
        }
    }

    private func filterObjects(_ image: PDFPageImage) -> (filter: qpdf_oh, parameters: qpdf_oh) {
        switch image.filter {
        case .dct:
            return (qpdf_oh_new_name(handle, "/DCTDecode"), qpdf_oh_new_null(handle))
        case .ccittG4(let blackIs1):
            return (qpdf_oh_new_name(handle, "/CCITTFaxDecode"), qpdf_oh_parse(handle,
                "<< /K -1 /Columns \(image.width) /Rows \(image.height) /BlackIs1 \(blackIs1 ? "true" : "false") >>"))
        case .flatePNG(let colors):
            return (qpdf_oh_new_name(handle, "/FlateDecode"), qpdf_oh_parse(handle,
                "<< /Predictor 15 /Colors \(colors) /BitsPerComponent \(image.bitsPerComponent) /Columns \(image.width) >>"))
        }
    }

    private func set(_ dictionary: qpdf_oh, _ key: String, _ value: qpdf_oh) {
        qpdf_oh_replace_key(handle, dictionary, key, value)
    }

    /// A number as PDF writes it: no exponent, at most four decimals, no trailing zeros.
    static func number(_ value: Double) -> String { PDFNumber.text(value) }

    private func lastError(_ reason: String) -> PDFError {
        guard qpdf_has_error(handle) != 0, let error = qpdf_get_error(handle),
              let text = qpdf_get_error_full_text(handle, error) else {
            return PDFError(file: name, reason: reason)
        }
        return PDFError(file: name, reason: reason, detail: String(cString: text))
    }
}
