@testable import SohoaPDF
import Testing

/// Metadata rewritten by other signing software must say the same things, apart from the
/// dates and producer it updates; a changed statement (a source's hash) is a change.
@Suite struct XMPPropertiesTests {
    let elements = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
        <dc:source>scan.tif sha256:4b94</dc:source>
        <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Đơn đề nghị</rdf:li></rdf:Alt></dc:title>
        <pdf:Producer>Sohoa</pdf:Producer>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        """

    func attributes(source: String) -> String {
        """
        <x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="other"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:p="http://ns.adobe.com/pdf/1.3/"
          xmlns:xmp="http://ns.adobe.com/xap/1.0/" dc:source="\(source)" p:Producer="other" rdf:about=""
          xmp:ModifyDate="2026-11-24T05:29:52+00:00"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Đơn đề nghị</rdf:li></rdf:Alt></dc:title>
        </rdf:Description></rdf:RDF></x:xmpmeta>
        """
    }

    @Test func theSameStatementsWrittenAnotherWayAreTheSame() {
        #expect(XMPProperties.sameStatements(Array(elements.utf8), Array(attributes(source: "scan.tif sha256:4b94").utf8)))
    }

    @Test func aChangedStatementIsAChange() {
        #expect(!XMPProperties.sameStatements(Array(elements.utf8), Array(attributes(source: "scan.tif sha256:ffff").utf8)))
        #expect(!XMPProperties.sameStatements(Array(elements.utf8), Array("<not xml".utf8)))
    }
}

/// FieldMDP: which fields a signature's lock covers.
@Suite struct FieldLockTests {
    @Test func eachActionLocksWhatItSays() {
        #expect(FieldLock(action: .all, fields: []).locks("amount"))
        #expect(FieldLock(action: .include, fields: ["amount"]).locks("amount"))
        #expect(!FieldLock(action: .include, fields: ["amount"]).locks("payee"))
        #expect(!FieldLock(action: .exclude, fields: ["amount"]).locks("amount"))
        #expect(FieldLock(action: .exclude, fields: ["amount"]).locks("payee"))
    }
}
