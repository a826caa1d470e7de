import FuzzSupport
import ImageFuzzing
import SohoaImaging

// Fuzzes `TIFFFile`: libtiff behind Sohoa's wrappers (error handlers, typed tag getters,
// allocation bound), every page described, decoded and prepared (G4 pass-through, the
// conversions to gray, RGB and CMYK, alpha, orientation). Seeds: tiny TIFFs in each
// compression and photometric interpretation Sohoa reads, one with several pages.

private let scratch = ScratchFile(suffix: ".tif")

/// One input: opened as a TIFF, each page taken through the pipeline's calls.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ImageFuzzing.run(start, count, scratch: scratch) { try TIFFFile(path: $0, limits: $1) }
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_tiff_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
