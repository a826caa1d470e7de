import CQPDF

/// A PDF held by libqpdf through its C API.
///
/// qpdf never prints: errors are silenced and turned into `PDFError`, warnings (for files qpdf
/// had to repair while reading) are kept in `warnings`. A document is used from one thread.
public final class QPDFDocument {
    /// The name used in messages (the file's path, usually).
    public let name: String
    /// What qpdf warned about while reading, oldest first: what it ignored, repaired or
    /// recovered. qpdf reads objects lazily, so warnings keep coming as objects are read;
    /// `damageWarnings()` collects those too.
    public private(set) var warnings: [String] = []

    var handle: qpdf_data?
    /// qpdf reads from this buffer for the document's lifetime, so it is owned here.
    private let buffer: UnsafeMutableBufferPointer<CChar>?
    /// Or from this snapshot of a file, kept alive as long as the document.
    private let snapshot: FileSnapshot?

    private static let errorsBit: QPDF_ERROR_CODE = 2

    /// Parses a PDF from `bytes`.
    ///
    /// - Throws: `PDFError` naming `name` and qpdf's reason when the bytes are not a readable PDF.
    public init(bytes: [UInt8], name: String) throws {
        self.name = name
        handle = qpdf_init()
        Self.quiet(handle)
        let owned = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            _ = owned.withMemoryRebound(to: UInt8.self) { $0.initialize(from: source) }
        }
        buffer = owned
        snapshot = nil
        let status = qpdf_read_memory(handle, name, owned.baseAddress, UInt64(bytes.count), nil)
        collectWarnings()
        if status & Self.errorsBit != 0 || qpdf_has_error(handle) != 0 {
            let error = lastError(reason: "this is not a readable PDF file")
            throw error  // deinit releases the handle and the buffer
        }
    }

    /// Opens the PDF at `path`; qpdf reads objects from the file as they are needed, so a large
    /// file is not loaded whole.
    public init(path: String) throws {
        name = path
        handle = qpdf_init()
        buffer = nil
        snapshot = nil
        Self.quiet(handle)
        let status = qpdf_read(handle, path, nil)
        collectWarnings()
        if status & Self.errorsBit != 0 || qpdf_has_error(handle) != 0 {
            throw lastError(reason: "this is not a readable PDF file")
        }
    }

    /// Reads the document as the first `length` bytes of a file's snapshot say it is (an
    /// earlier revision, when `length` ends one), without copying them. Without `recovery`, a
    /// file whose cross-reference data is broken is an error instead of being repaired.
    public init(snapshot file: FileSnapshot, length: Int, recovery: Bool) throws {
        name = file.path
        handle = qpdf_init()
        buffer = nil
        snapshot = file
        Self.quiet(handle)
        qpdf_set_attempt_recovery(handle, recovery ? 1 : 0)
        let status = file.bytes.baseAddress.map { base in
            qpdf_read_memory(handle, file.path, base.assumingMemoryBound(to: CChar.self), UInt64(min(length, file.count)), nil)
        } ?? Self.errorsBit
        collectWarnings()
        if status & Self.errorsBit != 0 || qpdf_has_error(handle) != 0 {
            throw lastError(reason: "the PDF structure cannot be read")
        }
    }

    /// A new document with no pages, to build on.
    public init(emptyNamed name: String) throws {
        self.name = name
        handle = qpdf_init()
        buffer = nil
        snapshot = nil
        Self.quiet(handle)
        if qpdf_empty_pdf(handle) & Self.errorsBit != 0 {
            throw lastError(reason: "qpdf could not create an empty document")
        }
    }

    /// Errors come back as return codes, warnings are collected: qpdf prints nothing.
    private static func quiet(_ handle: qpdf_data?) {
        qpdf_silence_errors(handle)
        qpdf_set_suppress_warnings(handle, 1)
    }

    deinit {
        qpdf_cleanup(&handle)
        buffer?.deallocate()
    }

    /// The PDF version from the file's header, e.g. "1.7".
    public var pdfVersion: String {
        String(cString: qpdf_get_pdf_version(handle))
    }

    /// The number of pages in the page tree.
    public func pageCount() throws -> Int {
        let count = qpdf_get_num_pages(handle)
        guard count >= 0, qpdf_has_error(handle) == 0 else {
            throw lastError(reason: "the page tree cannot be read")
        }
        return Int(count)
    }

    /// Writes the whole document to memory.
    ///
    /// - Parameter deterministicID: derive the trailer /ID from the content, so the same
    ///   document always gives the same bytes.
    public func write(deterministicID: Bool = true) throws -> [UInt8] {
        guard qpdf_init_write_memory(handle) & Self.errorsBit == 0 else {
            throw lastError(reason: "qpdf could not prepare to write")
        }
        if deterministicID { qpdf_set_deterministic_ID(handle, 1) }
        guard qpdf_write(handle) & Self.errorsBit == 0 else {
            throw lastError(reason: "qpdf could not write the document")
        }
        collectWarnings()
        let length = qpdf_get_buffer_length(handle)
        guard let start = qpdf_get_buffer(handle) else {
            throw PDFError(file: name, reason: "qpdf produced no output")
        }
        return Array(UnsafeBufferPointer(start: start, count: length))
    }

    /// What qpdf said about the file's bytes (damaged data it ignored, repaired or recovered),
    /// including what it found in objects read since the document was opened; not its notes
    /// on how the document was queried (a key asked of an object that is not a dictionary).
    public func damageWarnings() -> [String] {
        collectWarnings()
        return damage
    }

    /// The warnings of kind `qpdf_e_damaged_pdf`, oldest first.
    private var damage: [String] = []

    private func collectWarnings() {
        while qpdf_more_warnings(handle) != 0 {
            if let warning = qpdf_next_warning(handle), let text = qpdf_get_error_full_text(handle, warning) {
                let message = String(cString: text)
                warnings.append(message)
                if qpdf_get_error_code(handle, warning) != qpdf_e_object { damage.append(message) }
            }
        }
    }

    private func lastError(reason: String) -> PDFError {
        guard qpdf_has_error(handle) != 0, let error = qpdf_get_error(handle),
              let text = qpdf_get_error_full_text(handle, error) else {
            return PDFError(file: name, reason: reason)
        }
        let encrypted = qpdf_get_error_code(handle, error) == qpdf_e_password || qpdf_is_encrypted(handle) != 0
        return PDFError(file: name, reason: encrypted ? "the file is encrypted" : reason, detail: String(cString: text),
                        kind: encrypted ? .encrypted : .other)
    }
}
