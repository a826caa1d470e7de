import FuzzSupport
import SohoaImaging

/// What the image targets share: each page of one input described, decoded and prepared for
/// a PDF (pass-through or lossless re-encoding, orientation, analysis), as `sohoa assemble`
/// and `sohoa inbox` do, under limits that keep a fuzzer within its memory and time.
public enum ImageFuzzing {
    /// Small enough that a page decodes in milliseconds; a header claiming more is refused
    /// before decoding, which is itself what is tested for such inputs.
    public static let limits = DecodeLimits(maxPixels: 512 * 512, maxDecodedBytes: 16 << 20,
                                            maxFileBytes: 4 << 20, maxPages: 8)

    /// Writes the input to `scratch`, opens it with `open` and takes every page through the
    /// pipeline's calls; errors are the expected outcome for most inputs and are dropped.
    public static func run(_ start: UnsafeRawPointer, _ count: Int, scratch: ScratchFile,
                           open: (String, DecodeLimits) throws -> any ImageSource) {
        scratch.write(start, count)
        guard let source = try? open(scratch.path, limits) else { return }
        precondition(source.pageCount >= 1 && source.pageCount <= limits.maxPages, "\(source.pageCount) pages")
        for index in 0..<source.pageCount {
            guard let page = try? source.describePage(index) else { continue }
            if let raster = try? source.decodePage(index) {
                precondition(raster.width == page.width && raster.height == page.height,
                             "decoded \(raster.width)×\(raster.height), described \(page.width)×\(page.height)")
                precondition(raster.pixels.count >= raster.bytesPerRow * raster.height, "a raster shorter than its rows")
            }
            _ = try? source.preparePage(index, settings: PreparationSettings())
            if page.hasAlpha {
                _ = try? source.preparePage(index, settings: PreparationSettings(keepTransparency: true))
            }
        }
    }
}
