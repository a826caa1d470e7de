import SohoaImaging

/// One page of a document as read through the decoders.
public struct InspectedPage: Sendable {
    /// The image file the page comes from.
    public let file: String
    /// The page's index within that file, from 0.
    public let indexInFile: Int
    /// What the page's header says.
    public let description: PageDescription
}

/// The pages of an inbox document, each decoded once to prove it is readable.
public struct DocumentInspection: Sendable {
    public let document: InboxDocument
    /// The pages read before any failure, in order.
    public let pages: [InspectedPage]
    /// Why the document cannot be used, when a page cannot be read.
    public let failure: ImagingError?
}

/// Reads every page of a document through the image decoders, without keeping pixels.
public struct DocumentInspector: Sendable {
    public let limits: DecodeLimits
    /// Whether to decode the pixels (proves the data is intact) or only read headers.
    public let decodePixels: Bool

    public init(limits: DecodeLimits = .standard, decodePixels: Bool = true) {
        self.limits = limits
        self.decodePixels = decodePixels
    }

    /// Reads `document`'s pages; stops at the first page that cannot be read.
    public func inspect(_ document: InboxDocument) -> DocumentInspection {
        var pages: [InspectedPage] = []
        do {
            for file in document.imageFiles {
                let source = try ImageReader.open(path: file, limits: limits)
                for index in 0..<source.pageCount {
                    let description = try source.describePage(index)
                    if decodePixels { _ = try source.decodePage(index) }
                    pages.append(InspectedPage(file: file, indexInFile: index, description: description))
                }
            }
        } catch let error as ImagingError {
            return DocumentInspection(document: document, pages: pages, failure: error)
        } catch {
            let failure = ImagingError(file: document.relativePath, reason: .unreadable("\(error)"))
            return DocumentInspection(document: document, pages: pages, failure: failure)
        }
        return DocumentInspection(document: document, pages: pages, failure: nil)
    }
}
