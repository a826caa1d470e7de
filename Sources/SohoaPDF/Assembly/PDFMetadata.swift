/// What a document says about itself, in its Info dictionary and its XMP packet alike.
public struct PDFMetadata: Sendable, Equatable {
    /// The document's title.
    public var title: String?
    /// The kind of document (Info /Subject, XMP dc:description and dc:type).
    public var documentType: String?
    /// Search words (Info /Keywords, XMP pdf:Keywords and dc:subject).
    public var keywords: [String]
    /// The program that made the document (Info /Creator, XMP xmp:CreatorTool).
    public var creatorTool: String
    /// The library chain that wrote it (Info /Producer, XMP pdf:Producer).
    public var producer: String
    /// When the content was made, as the inputs record it: `YYYY-MM-DDTHH:MM:SS`, no zone.
    public var creationDate: String?
    /// Source files and their SHA-256 (XMP dc:source and dc:relation).
    public var sources: [(name: String, sha256: String)]
    /// Extra Info entries, e.g. ("SohoaCitizen", "001085012345"). Keys are letters only.
    public var extraInfo: [(key: String, value: String)]

    public init(title: String? = nil, documentType: String? = nil, keywords: [String] = [],
                creatorTool: String = "Sohoa", producer: String = "Sohoa", creationDate: String? = nil,
                sources: [(name: String, sha256: String)] = [], extraInfo: [(key: String, value: String)] = []) {
        self.title = title
        self.documentType = documentType
        self.keywords = keywords
        self.creatorTool = creatorTool
        self.producer = producer
        self.creationDate = creationDate
        self.sources = sources
        self.extraInfo = extraInfo
    }

    public static func == (lhs: PDFMetadata, rhs: PDFMetadata) -> Bool {
        lhs.title == rhs.title && lhs.documentType == rhs.documentType && lhs.keywords == rhs.keywords
            && lhs.creatorTool == rhs.creatorTool && lhs.producer == rhs.producer
            && lhs.creationDate == rhs.creationDate
            && lhs.sources.map { [$0.name, $0.sha256] } == rhs.sources.map { [$0.name, $0.sha256] }
            && lhs.extraInfo.map { [$0.key, $0.value] } == rhs.extraInfo.map { [$0.key, $0.value] }
    }

    /// The keywords as one Info string.
    var keywordString: String? { keywords.isEmpty ? nil : keywords.joined(separator: "; ") }

    /// `D:YYYYMMDDHHmmSS` for the Info dictionary.
    var pdfCreationDate: String? {
        creationDate.map { "D:" + $0.filter { $0.isNumber } }
    }
}
