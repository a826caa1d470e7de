import Foundation

/// Debian's `chromium`, headless: what a person's browser makes of a page.
public enum Browser {
    static let options = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                          "--disable-extensions", "--lang=vi"]

    /// Saves a screenshot of `url` at `width`×`height` CSS pixels (a phone's, by default) to `path`.
    public static func screenshot(_ url: String, to path: String, width: Int = 412, height: Int = 1100) throws {
        let result = try Tools.run("chromium", options + ["--window-size=\(width),\(height)", "--screenshot=\(path)", url])
        guard result.status == 0, FileManager.default.fileExists(atPath: path) else {
            throw Tools.Missing(description: "chromium made no screenshot of \(url): \(result.stderr.suffix(500))")
        }
    }

    /// The page's document after the browser has built it.
    public static func dom(_ url: String) throws -> String {
        let result = try Tools.run("chromium", options + ["--dump-dom", url])
        guard result.status == 0 else { throw Tools.Missing(description: "chromium did not load \(url): \(result.stderr.suffix(500))") }
        return result.stdout
    }

    /// Where tests keep the screenshots they take (`.build/test-screenshots/`), for a person to look at.
    public static var screenshots: URL {
        let folder = Fixtures.packageRoot.appendingPathComponent(".build/test-screenshots")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
