import FuzzSupport
import SohoaPDF

// Fuzzes the PDF reading the verifier builds on, from bytes in memory: the revision layout
// and the /ByteRange scan (Sohoa's own byte-level parsers), then qpdf's reading of the
// document, its signature dictionaries and its DSS. Seeds: Fuzz/Corpus/fuzz-pdf and the
// signed PDFs of Fuzz/Corpus/fuzz-verify.

/// One input: the byte-level parsers on the raw bytes, then the document through qpdf.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: start, count: count)
    let layout = RevisionLayout(buffer)
    for revision in layout.revisions {
        precondition(revision.start <= revision.endOfMarker && revision.endOfMarker <= revision.end && revision.end <= count,
                     "a revision outside the file: \(revision)")
        _ = layout.revision(endingAt: revision.end)
    }
    for occurrence in SignatureScan.byteRanges(in: buffer) {
        precondition(occurrence.offset >= 0 && occurrence.offset < count, "a /ByteRange outside the file: \(occurrence)")
    }
    guard let document = try? QPDFDocument(bytes: Array(buffer), name: "fuzz input") else { return 0 }
    _ = try? document.pageCount()
    _ = try? document.signatureDictionaries()
    _ = try? document.documentSecurityStore()
    _ = document.damageWarnings()
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_pdf_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
