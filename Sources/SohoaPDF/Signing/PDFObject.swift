/// One indirect PDF object, neutral about how it is written.
///
/// `dictionary` is the object's value (a dictionary written `<< ... >>`, without `/Length`);
/// other objects are referred to as `N 0 R`. When `streamData` is non-nil the object is a
/// stream: the writer writes `<< ... /Length n >> stream` + data + `endstream`, and the
/// dictionary already names its `/Filter` when the data is compressed.
public struct PDFObject: Sendable, Equatable {
    /// The object number, as given by the caller's `allocate()`.
    public let id: Int
    /// The object's dictionary (or other value), without `/Length`.
    public let dictionary: String
    /// The stream's bytes as they go into the file (already compressed), or nil for no stream.
    public let streamData: [UInt8]?

    public init(id: Int, dictionary: String, streamData: [UInt8]? = nil) {
        self.id = id
        self.dictionary = dictionary
        self.streamData = streamData
    }

    /// How many bytes the object takes in a file written as `N 0 obj ... endobj`.
    public var serializedSize: Int {
        var size = "\(id) 0 obj\n".utf8.count + dictionary.utf8.count + "\nendobj\n".utf8.count
        if let streamData {
            // The dictionary gains " /Length n" before its closing ">>".
            size += " /Length \(streamData.count)".utf8.count + "\nstream\n".utf8.count + streamData.count
                + "\nendstream".utf8.count
        }
        return size
    }
}
