import ArgumentParser
import Foundation
import SohoaImaging
import SohoaOCR
import SohoaPipeline
import SohoaRepository

/// `sohoa assemble`: normalize images and assemble them into one unsigned PDF.
struct AssembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assemble",
        abstract: "Normalize scans and assemble them into one unsigned PDF.",
        discussion: """
            A folder argument means its images in name order; a multi-page TIFF gives all its \
            pages. Each page keeps its own size (pixels × 72 / dpi) and is shown upright. JPEG \
            data, single-strip CCITT G4 pages and plain PNG data go into the PDF unchanged; \
            everything else is re-encoded losslessly (bilevel as CCITT G4, the rest as Flate). \
            Transparency is flattened onto white (a scan has none that matters, and a flattened \
            page looks the same in every reader) unless --soft-mask is given. When a file states no plausible resolution \
            the default is used and the report says so. With --ocr each page's text is read \
            (Tesseract, Vietnamese and English unless --lang says otherwise) and set under its \
            image as invisible text, so that the PDF can be searched and its words copied; a \
            page found sideways or upside down is turned upright, and a page read with low \
            confidence is flagged, never refused. Exit status: 0 written; 1 an input \
            was refused or the PDF could not be written (nothing is left at OUT.pdf); 3 usage error.

            Examples:
              sohoa assemble -o giay-khai-sinh.pdf scan-1.tif scan-2.tif
              sohoa assemble -o ho-so.pdf --title "Giấy khai sinh" --type birth-certificate pages/
              sohoa assemble -o out.pdf --default-dpi 300 --drop-blank --json scan.png
              sohoa assemble -o don.pdf --ocr --lang vie+eng scan.tif
            """
    )

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PDF to write.", valueName: "OUT.pdf"))
    var output: String

    @Flag(help: "Print a JSON report of every page.")
    var json = false

    @Flag(help: "Leave out pages detected as blank (they are still reported).")
    var dropBlank = false

    @Option(help: ArgumentHelp("Resolution for files that state none or an absurd one.", valueName: "DPI"))
    var defaultDpi: Double = 200

    @Option(help: ArgumentHelp("The document's title.", valueName: "TEXT"))
    var title: String?

    @Option(name: .customLong("type"), help: ArgumentHelp("The kind of document.", valueName: "T"))
    var documentType: String?

    @Option(help: ArgumentHelp("Owner: 12-digit personal number or tax code.", valueName: "ID"))
    var citizen: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("The case's dossier code.", valueName: "CASE"))
    var caseID: String?

    @Flag(help: "Do not claim PDF/A-2b.")
    var noPdfa = false

    @Flag(help: "Keep transparency as a soft mask instead of flattening it onto white.")
    var softMask = false

    @Flag(help: "Read each page's text (OCR) and put it under the image as an invisible text layer.")
    var ocr = false

    @Option(help: ArgumentHelp("OCR languages, Tesseract's codes joined by + (with --ocr); vi or en is the language of "
                               + "messages, as everywhere.", valueName: "LANGS"))
    var lang: String?

    @Argument(help: ArgumentHelp("TIFF, PNG or JPEG files, or folders of them.", valueName: "IMAGE_OR_DIR"))
    var images: [String]

    func validate() throws {
        guard (72...2400).contains(defaultDpi) else {
            throw ValidationError("--default-dpi must be between 72 and 2400")
        }
        if let citizen { do { _ = try OwnerID(citizen) } catch { throw ValidationError("--citizen: \(error)") } }
        if let caseID { do { _ = try DossierCode(caseID) } catch { throw ValidationError("--case: \(error)") } }
        if OCRLanguageOption.codes(lang) != nil, !ocr { throw ValidationError("--lang goes with --ocr") }
    }

    func run() async throws {
        var options = AssemblyOptions()
        options.preparation.resolution.defaultDPI = defaultDpi
        options.dropBlank = dropBlank
        options.preparation.keepTransparency = softMask
        options.pdfa = !noPdfa
        options.title = title
        options.documentType = documentType
        options.owner = try citizen.map { try OwnerID($0) }
        options.caseID = try caseID.map { try DossierCode($0) }
        if ocr {
            do throws(OCRError) {
                options.ocr = try OCREnginePool(languages: try OCRLanguages(OCRLanguageOption.codes(lang) ?? OCRLanguages.standard))
            } catch {
                throw CommandFailure(message: "sohoa assemble: \(error); nothing was written to \(output)",
                                     exitCode: error.isBadList ? ExitStatus.usage : ExitStatus.refused)
            }
        }
        let report: AssemblyReport
        do {
            report = try await DocumentAssembler(options: options).assemble(inputs: images, output: output)
        } catch {
            throw CommandFailure(message: "sohoa assemble: \(error.description); nothing was written to \(output)",
                                 exitCode: ExitStatus.refused)
        }
        print(json ? AssemblyReportFormat.json(report) : AssemblyReportFormat.text(report))
    }
}

/// The assembly report for people and for scripts.
enum AssemblyReportFormat {
    static func text(_ report: AssemblyReport) -> String {
        let kept = report.pages.filter { !$0.dropped }.count
        let dropped = report.pages.count - kept
        var lines = ["Wrote \(report.output): \(kept) page\(kept == 1 ? "" : "s")"
            + (dropped > 0 ? " (\(dropped) blank page\(dropped == 1 ? "" : "s") left out)" : "")
            + ", \(ByteCountFormatter.string(fromByteCount: Int64(report.byteCount), countStyle: .file))"
            + (report.pdfa ? ", PDF/A-2b" : "") + ", sha256 \(report.sha256)"]
        var number = 0
        for page in report.pages {
            let label: String
            if page.dropped {
                label = "  -"
            } else {
                number += 1
                label = String(format: "%3d", number)
            }
            let source = "\((page.source as NSString).lastPathComponent) p\(page.indexInFile + 1)"
            let upright = page.orientation.uprightSize(width: page.description.width, height: page.description.height)
            var line = "\(label)  \(source.padding(toLength: 28, withPad: " ", startingAt: 0)) "
                + "\(upright.width)×\(upright.height) px  \(Int(page.resolution.dpi.rounded())) dpi  "
                + "\(page.analysis.mode.rawValue)  \(page.encoding)"
            if page.orientation != .up { line += "  turned upright (orientation \(page.orientation.rawValue))" }
            if page.analysis.isBlank { line += page.dropped ? "  BLANK, left out" : "  BLANK" }
            if let text = page.text, !page.analysis.isBlank {
                line += "  text: \(text.wordCount) words, confidence \(Int(text.confidence))"
                if text.addedTurns != 0 { line += ", found turned and set upright" }
            }
            lines.append(line)
            if let flag = page.text?.flag { lines.append("       CHECK: \(flag)") }
            if let note = page.resolution.note { lines.append("       note: \(note)") }
        }
        if let note = report.pdfaNote { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: AssemblyReport) -> String {
        let pages: [[String: Any]] = report.pages.map { page in
            var entry: [String: Any] = [
                "source": page.source,
                "pageInFile": page.indexInFile + 1,
                "width": page.description.width,
                "height": page.description.height,
                "orientation": page.orientation.rawValue,
                "dpi": page.resolution.dpi,
                "dpiSource": page.resolution.fromFile ? "file" : "default",
                "mode": page.analysis.mode.rawValue,
                "encoding": page.encoding,
                "passThrough": page.passedThrough,
                "blank": page.analysis.isBlank,
                "dropped": page.dropped,
            ]
            if let stated = page.description.resolution { entry["statedDpi"] = [stated.x, stated.y] }
            if let note = page.resolution.note { entry["dpiNote"] = note }
            if let size = page.pageSize { entry["pageSizePt"] = [size.width, size.height] }
            if let text = page.text {
                var ocr: [String: Any] = [
                    "words": text.wordCount, "confidence": text.confidence, "flagged": text.flag != nil,
                    "turnedDegrees": text.addedTurns * 90, "characters": text.text.count,
                ]
                if let flag = text.flag { ocr["flag"] = flag }
                if let skew = text.skewDegrees { ocr["skewDegrees"] = skew }
                entry["ocr"] = ocr
            }
            return entry
        }
        var object: [String: Any] = [
            "output": report.output,
            "sha256": report.sha256,
            "bytes": report.byteCount,
            "pdfa": report.pdfa,
            "pages": pages,
            "sources": report.sources.map { ["name": $0.name, "sha256": $0.sha256] },
        ]
        if let note = report.pdfaNote { object["pdfaNote"] = note }
        let data = (try? JSONSerialization.data(withJSONObject: object,
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
