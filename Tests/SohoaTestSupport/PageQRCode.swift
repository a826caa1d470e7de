import Foundation

/// The QR code printed on page 1 of a PDF, as a phone would read it from paper: the page
/// rendered at 200 dpi by pdftoppm, the code read by zbarimg.
public enum PageQRCode {
    /// The lines the QR code on page 1 of `pdf` carries (empty when there is none to read);
    /// the rendering goes into `folder`.
    public static func lines(of pdf: String, renderingInto folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let rendered = try Tools.run("pdftoppm", ["-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, folder + "/page"])
        guard rendered.status == 0 else { return [] }
        let decoded = try Tools.run("zbarimg", ["--raw", "-q", folder + "/page.png"])
        let text = decoded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? [] : text.components(separatedBy: "\n")
    }
}
