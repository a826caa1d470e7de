import ArgumentParser
import Foundation
import SohoaImaging
import SohoaPipeline

/// `sohoa inbox`: what an inbox holds, read through the decoders, without taking anything.
struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "List the documents waiting in an inbox, reading every page, without moving anything.",
        discussion: """
            The inbox is laid out as <citizen-id>/<case-id>/<document>. Each document is read \
            page by page through the image decoders; anything that cannot be taken is listed \
            with the reason, in the operator's language (SOHOA_LANG or the locale). --json \
            prints {"inbox", "documents": [{"path", "owner", "case", "name", "pages", \
            "metadata"?, "refused"?}], "waiting", "problems": [{"path", "reason"}]} (in English).

            Examples:
              sohoa inbox /srv/inbox
              sohoa inbox /srv/inbox --headers-only --json

            Exit status: 0 everything can be taken, 1 something was refused (each refusal \
            listed with its reason), 3 the inbox cannot be read or a usage error.
            """
    )

    @Argument(help: ArgumentHelp("The inbox folder.", valueName: "DIR"))
    var inbox: String

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Read headers only; do not decode the pixels.")
    var headersOnly = false

    func run() throws {
        let listing: InboxListing
        do {
            listing = try InboxScanner(root: inbox).scan()
        } catch {
            throw CommandFailure(message: "sohoa inbox: \(error.description)", exitCode: ExitStatus.usage)
        }
        let inspector = DocumentInspector(decodePixels: !headersOnly)
        let inspections = listing.documents.map(inspector.inspect)
        let report = InboxReport(inbox: inbox, listing: listing, inspections: inspections)
        print(json ? report.json() : report.text(language: .current))
        if !listing.problems.isEmpty || inspections.contains(where: { $0.failure != nil }) {
            throw ExitCode(ExitStatus.refused)
        }
    }
}

/// Formats an inbox listing for people (a table) or for scripts (JSON).
struct InboxReport {
    let inbox: String
    let listing: InboxListing
    let inspections: [DocumentInspection]

    /// The listing for people, in `language`.
    func text(language: DisplayLanguage) -> String {
        let vietnamese = language == .vietnamese
        func count(_ number: Int, _ english: String, _ vietnameseNoun: String) -> String {
            vietnamese ? "\(number) \(vietnameseNoun)" : "\(number) \(english)\(number == 1 ? "" : "s")"
        }
        var lines: [String] = []
        let owners = Set(listing.documents.map(\.owner)).count
        let cases = Set(listing.documents.map(\.caseID)).count
        let pages = inspections.reduce(0) { $0 + $1.pages.count }
        lines.append(language.pick(vietnamese: "Thư mục tiếp nhận", english: "Inbox") + " \(inbox): "
                     + "\(count(listing.documents.count, "document", "tài liệu")), \(count(pages, "page", "trang")), "
                     + "\(count(owners, "owner", "chủ sở hữu")), \(count(cases, "case", "hồ sơ"))")
        var currentGroup = ""
        for inspection in inspections {
            let document = inspection.document
            let group = "\(document.owner)  \(document.caseID)"
            if group != currentGroup {
                lines.append("")
                lines.append(group)
                currentGroup = group
            }
            let name = document.isFolder ? document.name + "/" : document.name
            let title = document.metadata?.title.map { "  “\($0)”" } ?? ""
            if let failure = inspection.failure {
                let file = (failure.file as NSString).lastPathComponent
                let place = failure.page.map { language.pick(vietnamese: "\(file), trang \($0)", english: "\(file), page \($0)") } ?? file
                lines.append("  \(pad(name, 28)) " + language.pick(vietnamese: "BỊ TỪ CHỐI", english: "REFUSED")
                             + " (\(place)): " + language.pick(vietnamese: failure.vietnameseExplanation, english: failure.explanation))
                continue
            }
            lines.append("  \(pad(name, 28)) \(pad(count(inspection.pages.count, "page", "trang"), 9)) "
                         + "\(pageSummary(inspection.pages, language: language))\(title)")
        }
        if !listing.waiting.isEmpty {
            lines.append("")
            lines.append(language.pick(vietnamese: "Đang chờ tệp đánh dấu .ready:", english: "Waiting for a .ready marker:"))
            lines += listing.waiting.map { "  \($0)/" }
        }
        if !listing.problems.isEmpty {
            lines.append("")
            lines.append(language.pick(vietnamese: "Không thể tiếp nhận:", english: "Cannot be taken:"))
            lines += listing.problems.map {
                "  \($0.relativePath): " + language.pick(vietnamese: $0.vietnameseExplanation, english: $0.explanation)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "2480×3508 px, 300 dpi, bilevel, CCITT G4" when every page agrees; otherwise per page.
    private func pageSummary(_ pages: [InspectedPage], language: DisplayLanguage) -> String {
        let descriptions = pages.map { describe($0.description, language: language) }
        if Set(descriptions).count == 1 { return descriptions[0] }
        let page = language.pick(vietnamese: "tr.", english: "p")
        return descriptions.enumerated().map { "\(page)\($0.offset + 1): \($0.element)" }.joined(separator: "; ")
    }

    private func describe(_ page: PageDescription, language: DisplayLanguage) -> String {
        let dpi = page.resolution.map(\.description) ?? language.pick(vietnamese: "không ghi dpi", english: "no dpi stated")
        return "\(page.width)×\(page.height) px, \(dpi), \(page.colour.rawValue), \(page.encoding)"
    }

    func json() -> String {
        let documents: [[String: Any]] = inspections.map { inspection in
            let document = inspection.document
            var entry: [String: Any] = [
                "path": document.relativePath,
                "owner": document.owner.description,
                "case": document.caseID.description,
                "name": document.name,
                "pages": inspection.pages.map { page -> [String: Any] in
                    var item: [String: Any] = [
                        "source": page.file,
                        "pageInFile": page.indexInFile + 1,
                        "width": page.description.width,
                        "height": page.description.height,
                        "colour": page.description.colour.rawValue,
                        "bitsPerComponent": page.description.bitsPerComponent,
                        "encoding": page.description.encoding,
                    ]
                    if let resolution = page.description.resolution {
                        item["dpi"] = [resolution.x, resolution.y]
                    }
                    return item
                },
            ]
            if let metadata = document.metadata {
                entry["metadata"] = ["documentType": metadata.documentType as Any,
                                     "title": metadata.title as Any,
                                     "issueDate": metadata.issueDate as Any].compactMapValues { $0 }
            }
            if let failure = inspection.failure {
                entry["refused"] = failure.description
            }
            return entry
        }
        let object: [String: Any] = [
            "inbox": inbox,
            "documents": documents,
            "waiting": listing.waiting,
            "problems": listing.problems.map { ["path": $0.relativePath, "reason": $0.explanation] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys,
                                                                                   .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
