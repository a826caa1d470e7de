import CQPDF
import Foundation
import SohoaFiles

/// What the new signature field says.
public struct SignatureRequest: Sendable {
    /// What goes into the field.
    public enum Kind: Sendable {
        /// A PAdES signature (/ETSI.CAdES.detached).
        case signature
        /// A document time-stamp (/DocTimeStamp, /ETSI.RFC3161): an RFC 3161 token over the
        /// whole file, as PAdES B-LTA adds after the validation data.
        case documentTimeStamp
    }

    public var kind: Kind
    /// The claimed signing time (/M); PAdES baseline keeps it out of the CMS.
    public var signingTime: Date
    /// Why the document is signed (/Reason).
    public var reason: String?
    /// Where (/Location).
    public var location: String?
    /// Bytes reserved for the DER CMS signature.
    public var capacity: Int
    /// Make this a certification signature (DocMDP) allowing only these changes afterwards:
    /// 1 none, 2 form filling and signing, 3 also annotations. Only the first signature of a
    /// document can certify it.
    public var certifyPermissions: Int?
    /// The signature's widget and appearance on a page; nil: an invisible signature.
    public var appearance: VisibleSignature?

    public init(kind: Kind = .signature, signingTime: Date, reason: String? = nil, location: String? = nil, capacity: Int,
                certifyPermissions: Int? = nil, appearance: VisibleSignature? = nil) {
        self.kind = kind
        self.signingTime = signingTime
        self.reason = reason
        self.location = location
        self.capacity = capacity
        self.certifyPermissions = certifyPermissions
        self.appearance = appearance
    }
}

/// An empty signature appended to a PDF as an incremental update: the original bytes are kept
/// as they are; a signature dictionary, a signature field (invisible on page 1, or with its
/// appearance where the request places it), and the page and form objects that point at it
/// follow, with their own cross-reference section.
public struct PreparedSignature: Sendable {
    /// The length of the original file, which the update follows.
    public let originalLength: Int
    /// The bytes appended to the original, with /Contents still zero-filled.
    public let update: [UInt8]
    /// The four /ByteRange numbers: everything but the /Contents hex string.
    public let byteRange: [Int]
    /// The field's name, e.g. "Signature2".
    public let fieldName: String
    /// Bytes of DER that fit into /Contents.
    public let capacity: Int
    /// Where a visible signature's widgets went (the block first); empty for an invisible one.
    public var placements: [SignaturePlacement] = []

    /// The parts of `update` the signature covers (the original file comes before them).
    public var signedUpdateParts: [ArraySlice<UInt8>] {
        [update[0..<(byteRange[1] - originalLength)], update[(byteRange[2] - originalLength)...]]
    }

    /// The update with `signature` written into /Contents.
    ///
    /// - Throws: `PDFError` when the signature is larger than the space reserved: it is never cut.
    public func filledUpdate(with signature: [UInt8]) throws -> [UInt8] {
        guard signature.count <= capacity else {
            throw PDFError(file: fieldName, reason: "the signature (\(signature.count) bytes) does not fit into the "
                           + "\(capacity) bytes reserved for it; nothing was written")
        }
        var output = update
        let digits = Array("0123456789ABCDEF".utf8)
        var position = byteRange[1] - originalLength + 1  // just after "<"
        for byte in signature {
            output[position] = digits[Int(byte >> 4)]
            output[position + 1] = digits[Int(byte & 0x0F)]
            position += 2
        }
        return output
    }
}

/// Appends an empty PAdES signature to a PDF, as an incremental update that leaves every
/// earlier byte (and so every earlier signature) intact.
public enum SignaturePreparer {
    public static func prepare(_ source: PDFSource, request: SignatureRequest) throws -> PreparedSignature {
        let base = try UpdateBase(source)
        let q = base.q, name = base.name
        let pageCount = try base.document.pageCount()
        guard pageCount > 0 else { throw PDFError(file: name, reason: "the document has no pages") }
        let root = base.root
        // The block's place, then the page drawings' (left out where there is no room, or when
        // the document is signed already: its signatures would not allow a change of the page).
        var placements: [SignaturePlacement] = []
        var drawings: [(VisibleSignature.Widget, SignaturePlacement)] = []
        if let appearance = request.appearance {
            guard request.kind == .signature else { throw PDFError(file: name, reason: "a document time-stamp has no appearance") }
            // Page 1 is read closely only where the widgets may go.
            let signed = try !base.document.signatureDictionaries().isEmpty
            let widgets = [appearance.widget] + (signed ? [] : appearance.pageDrawings)
            let ink = try PageInkMap(document: base.document, pageIndex: 0, trustingRecordedInk: appearance.trustsRecordedInk) { box in
                let areas = widgets.map { $0.searchArea(box) }
                guard let first = areas.first ?? nil, !areas.contains(where: { $0 == nil }) else { return nil }
                return areas.compactMap { $0 }.reduce(first) { $0.union($1) }
            }
            guard let chosen = try appearance.widget.place(ink, []), chosen.pageIndex == 0, chosen.rect.isFinite,
                  !chosen.rect.isEmpty else {
                throw PDFError(file: name, reason: "the signature's appearance has no place on page 1")
            }
            placements.append(chosen)
            if !signed {
                for drawing in appearance.pageDrawings {
                    guard let place = try drawing.place(ink, placements), place.rect.isFinite, !place.rect.isEmpty else { continue }
                    placements.append(place)
                    drawings.append((drawing, place))
                }
            }
        }
        let page = qpdf_get_page_n(q, 0)
        guard qpdf_oh_is_indirect(q, root) != 0, qpdf_oh_is_indirect(q, page) != 0 else {
            throw PDFError(file: name, reason: "the catalog or the first page is not an indirect object")
        }
        var dirty: [qpdf_oh] = []  // indirect objects rewritten in this update

        // The signature dictionary is written by hand (its numbers are patched later); qpdf only reserves its number.
        let signature = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q))
        if let permissions = request.certifyPermissions {
            guard request.kind == .signature else { throw PDFError(file: name, reason: "a document time-stamp cannot certify") }
            guard (1...3).contains(permissions) else {
                throw PDFError(file: name, reason: "DocMDP permissions are 1, 2 or 3")
            }
            guard qpdf_oh_has_key(q, qpdf_oh_get_key(q, root, "/AcroForm"), "/Fields") == 0
                    || qpdf_oh_get_array_n_items(q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/AcroForm"), "/Fields")) == 0,
                  qpdf_oh_has_key(q, root, "/Perms") == 0 else {
                throw PDFError(file: name, reason: "only the first signature of a document can certify it")
            }
            let permissionsDictionary = qpdf_oh_new_dictionary(q)
            qpdf_oh_replace_key(q, permissionsDictionary, "/DocMDP", signature)
            qpdf_oh_replace_key(q, root, "/Perms", permissionsDictionary)
            dirty.append(root)
        }
        let fieldName = uniqueFieldName(q, root: root)
        // Object numbers for hand-written objects are reserved through qpdf, which knows which are free.
        var handWritten: [PDFObject] = []
        var reserved: [Int: qpdf_oh] = [:]
        func allocate() -> Int {
            let object = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q))
            let id = Int(qpdf_oh_get_object_id(q, object))
            reserved[id] = object
            return id
        }
        func draw(_ drawing: VisibleSignature.Widget, at rect: PDFRect) throws -> qpdf_oh {
            let made = try drawing.objects(rect, allocate)
            guard let stream = reserved[made.appearance] else {
                throw PDFError(file: name, reason: "the signature's appearance names an object it was not given")
            }
            handWritten += made.objects
            return stream
        }
        // The field and its widget in one: Print and Locked (4 + 128); an invisible signature's has no area.
        let field = qpdf_make_indirect_object(q, qpdf_oh_parse(q,
            "<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect \(placements.first?.rect.description ?? "[0 0 0 0]") >>"))
        if let appearance = request.appearance, let place = placements.first {
            let states = qpdf_oh_new_dictionary(q)
            qpdf_oh_replace_key(q, states, "/N", try draw(appearance.widget, at: place.rect))
            qpdf_oh_replace_key(q, field, "/AP", states)
        }
        qpdf_oh_replace_key(q, field, "/T", qpdf_oh_new_unicode_string(q, fieldName))
        qpdf_oh_replace_key(q, field, "/V", signature)
        qpdf_oh_replace_key(q, field, "/P", page)
        if !drawings.isEmpty {
            var forms: [(rect: PDFRect, form: qpdf_oh)] = []
            for (drawing, place) in drawings { forms.append((place.rect, try draw(drawing, at: place.rect))) }
            try addToPage(page, forms: forms, access: try ObjectAccess(base.document), allocate: allocate,
                          handWritten: &handWritten, dirty: &dirty, name: name)
        }

        // Page 1 lists the widget among its annotations.
        if append(field, to: "/Annots", of: page, q: q, dirty: &dirty) { dirty.append(page) }
        // The form lists the field; SigFlags 3: signatures exist, append only.
        var form = qpdf_oh_get_key(q, root, "/AcroForm")
        if qpdf_oh_is_dictionary(q, form) == 0 {
            form = qpdf_oh_new_dictionary(q)
            qpdf_oh_replace_key(q, root, "/AcroForm", form)
        }
        _ = append(field, to: "/Fields", of: form, q: q, dirty: &dirty)
        qpdf_oh_replace_key(q, form, "/SigFlags", qpdf_oh_new_integer(q, 3))
        dirty.append(qpdf_oh_is_indirect(q, form) != 0 ? form : root)
        dirty.append(field)

        // Write the update; positions count from the start of the whole file.
        var writer = IncrementalUpdateWriter(after: base)
        let signatureID = Int(qpdf_oh_get_object_id(q, signature))
        let signatureStart = writer.position
        var dictionary: String
        switch request.kind {
        case .signature:
            dictionary = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
                + "/ByteRange [0 0000000000 0000000000 0000000000] /M \(pdfString(pdfDate(request.signingTime)))"
            if let reason = request.reason { dictionary += " /Reason \(pdfTextString(reason))" }
            if let location = request.location { dictionary += " /Location \(pdfTextString(location))" }
        case .documentTimeStamp:
            // Its time is the token's; a /M or /Reason would only be claims beside it.
            dictionary = "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 "
                + "/ByteRange [0 0000000000 0000000000 0000000000]"
        }
        if let permissions = request.certifyPermissions {
            dictionary += " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams "
                + "<< /Type /TransformParams /P \(permissions) /V /1.2 >> >>]"
        }
        dictionary += " /Contents <"
        writer.beginObject(signatureID)
        writer.append(dictionary)
        let contentsStart = writer.position - 1  // the "<"
        writer.append([UInt8](repeating: UInt8(ascii: "0"), count: request.capacity * 2))
        writer.append("> >>\nendobj\n")
        let contentsEnd = contentsStart + request.capacity * 2 + 2
        for object in dirty { writer.writeCurrent(object) }
        for object in handWritten { writer.write(object) }
        let update = writer.finish()
        let end = base.length + update.count

        let byteRange = [0, contentsStart, contentsEnd, end - contentsEnd]
        let rangeText = "[0 " + byteRange[1...].map { PDFNumber.zeroPadded($0, to: 10) }.joined(separator: " ") + "]"
        let placeholder = Array("[0 0000000000 0000000000 0000000000]".utf8)
        guard let at = update[(signatureStart - base.length)...].firstRange(of: placeholder) else {
            throw PDFError(file: name, reason: "the signature placeholder went missing")
        }
        writer.replace(at, with: Array(rangeText.utf8))
        return PreparedSignature(originalLength: base.length, update: writer.output, byteRange: byteRange,
                                 fieldName: fieldName, capacity: request.capacity, placements: placements)
    }

    /// Draws Form XObjects into the page: its content is wrapped in q … Q (so that whatever
    /// state it leaves does not move the drawing), then each form is drawn at its rectangle,
    /// named in the page's own resources.
    private static func addToPage(_ page: qpdf_oh, forms: [(rect: PDFRect, form: qpdf_oh)], access: ObjectAccess,
                                  allocate: () -> Int, handWritten: inout [PDFObject], dirty: inout [qpdf_oh], name: String) throws {
        let q = access.q
        // The page's own resources (a copy of inherited ones when it has none), and their XObjects.
        var resources = qpdf_oh_get_key(q, page, "/Resources")
        if qpdf_oh_is_dictionary(q, resources) == 0 {
            resources = qpdf_oh_new_dictionary(q)
            if let inherited = PageInk.inherited(access, page, "/Resources"), access.isDictionary(inherited) {
                for key in access.keys(inherited) { qpdf_oh_replace_key(q, resources, key, access.value(inherited, key)) }
            }
            qpdf_oh_replace_key(q, page, "/Resources", resources)
        } else if qpdf_oh_is_indirect(q, resources) != 0 {
            dirty.append(resources)
        }
        var xobjects = qpdf_oh_get_key(q, resources, "/XObject")
        if qpdf_oh_is_dictionary(q, xobjects) == 0 {
            xobjects = qpdf_oh_new_dictionary(q)
            qpdf_oh_replace_key(q, resources, "/XObject", xobjects)
        } else if qpdf_oh_is_indirect(q, xobjects) != 0 {
            dirty.append(xobjects)
        }
        var drawing = "Q\n"
        var number = 1
        for form in forms {
            while qpdf_oh_has_key(q, xobjects, "/SohoaSigned\(number)") != 0 { number += 1 }
            qpdf_oh_replace_key(q, xobjects, "/SohoaSigned\(number)", form.form)
            drawing += "q 1 0 0 1 \(PDFNumber.text(form.rect.minX)) \(PDFNumber.text(form.rect.minY)) cm /SohoaSigned\(number) Do Q\n"
        }
        let opening = allocate(), closing = allocate()
        handWritten.append(PDFObject(id: opening, dictionary: "<< >>", streamData: Array("q\n".utf8)))
        handWritten.append(PDFObject(id: closing, dictionary: "<< >>", streamData: Array(drawing.utf8)))
        let contents = qpdf_oh_get_key(q, page, "/Contents")
        let list = qpdf_oh_new_array(q)
        qpdf_oh_append_item(q, list, qpdf_get_object_by_id(q, Int32(opening), 0))
        if qpdf_oh_is_array(q, contents) != 0 {
            for index in 0..<qpdf_oh_get_array_n_items(q, contents) { qpdf_oh_append_item(q, list, qpdf_oh_get_array_item(q, contents, index)) }
        } else if qpdf_oh_is_stream(q, contents) != 0 {
            qpdf_oh_append_item(q, list, contents)
        } else if qpdf_oh_is_null(q, contents) == 0 {
            throw PDFError(file: name, reason: "page 1's content is neither a stream nor a list of streams")
        }
        qpdf_oh_append_item(q, list, qpdf_get_object_by_id(q, Int32(closing), 0))
        qpdf_oh_replace_key(q, page, "/Contents", list)
        dirty.append(page)
    }

    /// Adds `item` to the array under `key` of `holder` (creating it). An indirect array is
    /// itself rewritten; returns whether `holder` changed (a direct or new array).
    private static func append(_ item: qpdf_oh, to key: String, of holder: qpdf_oh, q: qpdf_data,
                               dirty: inout [qpdf_oh]) -> Bool {
        let existing = qpdf_oh_get_key(q, holder, key)
        if qpdf_oh_is_array(q, existing) != 0 {
            qpdf_oh_append_item(q, existing, item)
            if qpdf_oh_is_indirect(q, existing) != 0 {
                dirty.append(existing)
                return false
            }
            return true
        }
        let array = qpdf_oh_new_array(q)
        qpdf_oh_append_item(q, array, item)
        qpdf_oh_replace_key(q, holder, key, array)
        return true
    }

    /// "Signature1", "Signature2", ...: the first name no field of the form has.
    private static func uniqueFieldName(_ q: qpdf_data, root: qpdf_oh) -> String {
        var taken = Set<String>()
        let fields = qpdf_oh_get_key(q, qpdf_oh_get_key(q, root, "/AcroForm"), "/Fields")
        if qpdf_oh_is_array(q, fields) != 0 {
            for index in 0..<qpdf_oh_get_array_n_items(q, fields) {
                let title = qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, fields, index), "/T")
                if let text = qpdf_oh_get_utf8_value(q, title) { taken.insert(String(cString: text)) }
            }
        }
        var number = 1
        while taken.contains("Signature\(number)") { number += 1 }
        return "Signature\(number)"
    }

    /// `D:YYYYMMDDHHmmSS+00'00'` (UTC), written without a formatter.
    static func pdfDate(_ date: Date) -> String {
        "D:" + ISO8601Text.string(date).filter(\.isNumber) + "+00'00'"
    }

    /// A literal string with `(`, `)` and `\` escaped (ASCII only).
    static func pdfString(_ text: String) -> String {
        var out = "("
        for character in text.unicodeScalars where character.isASCII && character.value >= 0x20 {
            if character == "(" || character == ")" || character == "\\" { out += "\\" }
            out.unicodeScalars.append(character)
        }
        return out + ")"
    }

    /// A text string: plain ASCII as a literal, anything else as UTF-16BE with a byte-order mark.
    static func pdfTextString(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) { return pdfString(text) }
        return PDFNumber.utf16TextString(text)
    }
}
