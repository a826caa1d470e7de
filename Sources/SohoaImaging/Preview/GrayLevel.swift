/// The gray a colour shows as (0 black … 255 white), worked out the same way wherever Sohoa
/// needs a page as gray: finding a scan's ink, and reading its text.
public enum GrayLevel {
    /// An RGB colour's luminance (ITU-R BT.601 weights, as the page analysis uses).
    @inline(__always)
    public static func of(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        let weighted: Int = Int(red) * 299 + Int(green) * 587 + Int(blue) * 114
        return UInt8(weighted / 1000)
    }

    /// CMYK ink amounts (0 no ink, 255 full): the coloured inks as the RGB they leave, then the
    /// black ink on top.
    @inline(__always)
    public static func of(cyan: UInt8, magenta: UInt8, yellow: UInt8, black: UInt8) -> UInt8 {
        let colour = 255 - Int(of(red: 255 - cyan, green: 255 - magenta, blue: 255 - yellow))
        return UInt8(255 - min(255, colour + Int(black)))
    }
}
