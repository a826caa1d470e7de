import FuzzSupport
import ImageFuzzing
import SohoaImaging

// Fuzzes `JPEGFile`: Sohoa's marker reader (SOF, JFIF density, EXIF orientation and
// resolution, Adobe markers), then TurboJPEG's header and decode, and the DCT pass-through.
// Seeds: tiny baseline and progressive JPEGs, gray, RGB and CMYK, with JFIF and EXIF.

private let scratch = ScratchFile(suffix: ".jpg")

/// One input: opened as a JPEG, its page taken through the pipeline's calls.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ImageFuzzing.run(start, count, scratch: scratch) { try JPEGFile(path: $0, limits: $1) }
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_jpeg_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
