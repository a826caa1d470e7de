import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The properties an XMP packet states, whatever way it is written (as attributes of
/// `rdf:Description` or as elements, lists flattened to their items): for telling whether two
/// packets say the same thing.
enum XMPProperties {
    /// Properties signing software updates when it saves a document: not what the document says.
    static let bookkeeping: Set<String> = [
        "http://ns.adobe.com/xap/1.0/ModifyDate", "http://ns.adobe.com/xap/1.0/MetadataDate",
        "http://ns.adobe.com/xap/1.0/CreatorTool", "http://ns.adobe.com/pdf/1.3/Producer",
    ]
    /// Namespaces of the editing history software keeps (XMP Media Management and the
    /// resource event and reference types its history and derivation use).
    static let bookkeepingNamespaces = [
        "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
        "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    ]

    static func isBookkeeping(_ property: String) -> Bool {
        bookkeeping.contains(property) || bookkeepingNamespaces.contains { property.hasPrefix($0) }
    }

    /// "namespace+name" → value, nil when the packet is not well-formed XML.
    static func parse(_ data: [UInt8]) -> [String: String]? {
        // Foundation's parser traps on bytes that are not UTF-8; a packet in another encoding
        // (UTF-16 and UTF-32 are allowed, and rare) is not compared, so a change to it is not allowed.
        guard String(validating: data, as: UTF8.self) != nil else { return nil }
        let parser = XMLParser(data: Data(data))
        let collector = Collector()
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.delegate = collector
        guard parser.parse() else { return nil }
        return collector.properties
    }

    /// Whether two packets state the same properties, bookkeeping aside.
    static func sameStatements(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard let first = parse(a), let second = parse(b) else { return false }
        return first.filter { !isBookkeeping($0.key) } == second.filter { !isBookkeeping($0.key) }
    }

    /// Whether a packet states bookkeeping only (what software may add where there was none).
    static func statesOnlyBookkeeping(_ packet: [UInt8]) -> Bool {
        guard let properties = parse(packet) else { return false }
        return properties.keys.allSatisfy(isBookkeeping)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        var properties: [String: String] = [:]
        private var stack: [String] = []  // open property elements (namespace+name)
        private var text = ""
        private var prefixes: [String: String] = [:]

        func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
            prefixes[prefix] = namespaceURI
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let namespace = namespaceURI ?? ""
            if namespace == Self.rdf, name == "Description" {
                for (key, value) in attributes where !key.hasPrefix("xmlns") {
                    let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
                    let expanded = parts.count == 2 ? (prefixes[parts[0]] ?? parts[0]) + parts[1] : key
                    if expanded != Self.rdf + "about" { properties[expanded] = value }
                }
                return
            }
            if namespace == Self.rdf || namespace == "adobe:ns:meta/" { return }
            stack.append(namespace + name)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let namespace = namespaceURI ?? ""
            if namespace == Self.rdf, name == "li" {
                text += "\u{1F}"
                return
            }
            guard namespace != Self.rdf, namespace != "adobe:ns:meta/", let property = stack.popLast() else { return }
            properties[property] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            text = ""
        }
    }
}
