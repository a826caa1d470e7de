/// The XMP metadata packet of a document, consistent with its Info dictionary as PDF/A
/// requires, using only schemas PDF/A predefines (Dublin Core, XMP basic, Adobe PDF, PDF/A id).
enum XMPPacket {
    static func make(_ metadata: PDFMetadata, pdfaPart2B: Bool) -> String {
        var properties: [String] = []
        properties.append("<dc:format>application/pdf</dc:format>")
        if let title = metadata.title {
            properties.append("<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(title))</rdf:li></rdf:Alt></dc:title>")
        }
        if let type = metadata.documentType {
            properties.append("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escape(type))</rdf:li></rdf:Alt></dc:description>")
            properties.append("<dc:type><rdf:Bag><rdf:li>\(escape(type))</rdf:li></rdf:Bag></dc:type>")
        }
        if !metadata.keywords.isEmpty {
            let items = metadata.keywords.map { "<rdf:li>\(escape($0))</rdf:li>" }.joined()
            properties.append("<dc:subject><rdf:Bag>\(items)</rdf:Bag></dc:subject>")
        }
        if !metadata.sources.isEmpty {
            let described = metadata.sources.map { "\($0.name) sha256:\($0.sha256)" }
            properties.append("<dc:source>\(escape(described.joined(separator: "; ")))</dc:source>")
            let items = described.map { "<rdf:li>\(escape($0))</rdf:li>" }.joined()
            properties.append("<dc:relation><rdf:Bag>\(items)</rdf:Bag></dc:relation>")
        }
        if let keywords = metadata.keywordString {
            properties.append("<pdf:Keywords>\(escape(keywords))</pdf:Keywords>")
        }
        properties.append("<pdf:Producer>\(escape(metadata.producer))</pdf:Producer>")
        properties.append("<xmp:CreatorTool>\(escape(metadata.creatorTool))</xmp:CreatorTool>")
        if let date = metadata.creationDate {
            properties.append("<xmp:CreateDate>\(date)</xmp:CreateDate>")
            properties.append("<xmp:ModifyDate>\(date)</xmp:ModifyDate>")
            properties.append("<xmp:MetadataDate>\(date)</xmp:MetadataDate>")
        }
        if pdfaPart2B {
            properties.append("<pdfaid:part>2</pdfaid:part>")
            properties.append("<pdfaid:conformance>B</pdfaid:conformance>")
        }
        return """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" \
            xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" \
            xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
            \(properties.joined(separator: "\n"))
            </rdf:Description>
            </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """
    }

    /// Escapes text for XML character data and attribute values; drops characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
