import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification

/// What the structure-aware mutants need to know about a signed PDF, read once per seed with
/// the qpdf command line (an independent reader).
struct SeedAnatomy: Sendable {
    let catalog: Int
    /// The catalog's entries, without the enclosing `<<` `>>`.
    let catalogEntries: String
    let pagesRoot: Int
    let pagesRootEntries: String
    let page: Int
    let pageEntries: String
    /// The first content stream of page 1, when the page names one.
    let content: Int?
    /// The trailer's /Size.
    let size: Int
    /// The trailer's `/Info N 0 R` and `/ID [...]`, to repeat in a new trailer.
    let info: String?
    let id: String?
    /// Every `startxref` value in the file, in order.
    let startxrefs: [Int]
    /// Every uncompressed object's offset.
    let offsets: [Int: Int]
    /// The catalog's /Metadata stream and its decoded XMP packet, when there is one.
    let metadata: Int?
    let xmp: [UInt8]?
}

/// A signed PDF the mutation tests start from.
struct MutationSeed: Sendable {
    let name: String
    let bytes: [UInt8]
    /// Every byte before this offset is signed by some signature or lies in a signature's
    /// /Contents string (the signed ranges of every signature start at 0, so what the
    /// signatures cover together is a prefix of the file).
    let coveredEnd: Int
    /// The hexadecimal digits of the /Contents strings that no other signature's signed range
    /// covers: the only covered bytes whose change can leave the document as it was (a digit's
    /// case).
    let freeContents: [Range<Int>]
    /// Every /Contents string's digits, signed by a later signature or not.
    let contents: [Range<Int>]
    /// The digits, inside `freeContents`, of the CMS parts no signature protects (see
    /// `UnprotectedCMS`).
    let unprotectedCMS: [Range<Int>]
    let anatomy: SeedAnatomy
}

/// The signed PDFs the mutation tests start from, made once per test process: signed by Sohoa
/// (one signature; officer then approver; certified then approved; B-LT) and by pyHanko (B-B;
/// B-B then B-T; certified). All are verified offline: the test CA's CRLs and certificates are
/// in each document's DSS, written before signing (so that the last signature covers them) or,
/// for the B-LT seed, after it as PAdES B-LT does.
enum MutationSeeds {
    static let names = ["sohoa-b-b", "sohoa-approved", "sohoa-certified-approved", "sohoa-b-lt",
                        "pyhanko-b-b", "pyhanko-two-signatures", "pyhanko-certified"]

    struct Built: Sendable {
        let seeds: [String: MutationSeed]
        let scratch: URL
        let policy: VerificationPolicy
    }

    static let built: Result<Built, any Error> = Result { try build() }

    static func seed(_ name: String) throws -> (MutationSeed, Built) {
        let built = try built.get()
        guard let seed = built.seeds[name] else { throw Tools.Missing(description: "no seed named \(name)") }
        return (seed, built)
    }

    /// The signing time written into Sohoa's seeds, so that those without a time-stamp are the
    /// same bytes at every run.
    static let signingTime = Date(timeIntervalSince1970: 1_764_547_200)  // 2025-12-01

    static func certificate(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    /// The test CA's CRLs and the certificates above the signers, from `Certs/`.
    static func validationMaterial() throws -> ValidationMaterial {
        let crls = try ["issuing-ca.crl.der", "root-ca.crl.der"].map { Array(try Data(contentsOf: Fixtures.certs.appendingPathComponent($0))) }
        let certificates = try ["issuing-ca.pem", "root-ca.pem", "tsa.pem"].flatMap {
            try Certificate.load(fileAt: certificate($0)).map(\.derBytes)
        }
        return ValidationMaterial(certificates: certificates, crls: crls)
    }

    private static func build() throws -> Built {
        let scratch = try Fixtures.makeScratch("mutation")
        let unsigned = try GenuineSignatureTests.unsignedPDF(in: scratch)
        let material = try validationMaterial()
        let prepared = unsigned + (try ValidationDataUpdate.make(.bytes(unsigned, name: "u.pdf"), adding: material))
        let authority = try TimeStampAuthority(.init(certificatePath: certificate("tsa.pem"), keyPath: certificate("tsa.key.pem"),
                                                     chainPath: certificate("tsa-chain.pem"),
                                                     serialFile: scratch.appendingPathComponent("serial").path))
        let stamp: @Sendable ([UInt8]) throws -> [UInt8] = { value in
            let request = try TimeStampRequest(message: value)
            return try request.acceptToken(from: authority.respond(to: request.der))
        }
        func signer(_ p12: String) throws -> PKCS12Signer {
            PKCS12Signer(identity: try PKCS12.load(path: certificate(p12), password: "sohoa-test"))
        }
        let officer = try signer("officer.p12"), approver = try signer("approver.p12")
        func sohoa(_ signer: PAdESSigner, _ input: [UInt8]) throws -> [UInt8] {
            try signer.sign(input, name: "u.pdf", at: signingTime)
        }
        var documents: [String: [UInt8]] = [:]
        documents["sohoa-b-b"] = try sohoa(PAdESSigner(signer: officer), prepared)
        documents["sohoa-approved"] = try sohoa(PAdESSigner(signer: approver, role: .approver, timeStamper: stamp),
                                                try sohoa(PAdESSigner(signer: officer, timeStamper: stamp), prepared))
        documents["sohoa-certified-approved"] = try sohoa(PAdESSigner(signer: approver, role: .approver),
                                                          try sohoa(PAdESSigner(signer: officer, certify: true), prepared))
        // B-LT as PAdESSigner writes it (signature, then the DSS), the material taken from Certs/.
        let stamped = try sohoa(PAdESSigner(signer: officer, timeStamper: stamp), unsigned)
        let officerCertificate = try Certificate.load(fileAt: certificate("officer.pem")).map(\.derBytes)
        var longTerm = material
        longTerm.certificates += officerCertificate
        documents["sohoa-b-lt"] = stamped + (try ValidationDataUpdate.make(.bytes(stamped, name: "u.pdf"), adding: longTerm))

        let input = try Fixtures.write(prepared, named: "pyhanko-input.pdf", in: scratch)
        let tsa = try LocalTSA.start(serialFile: scratch.appendingPathComponent("pyhanko-tsa-serial").path)
        defer { tsa.stop() }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_sign.py").path
        func pyHanko(_ source: String, _ target: String, _ p12: String, _ level: String, certify: Bool = false) throws -> String {
            let output = scratch.appendingPathComponent(target).path
            let result = try Run.process(Tools.python, [script, source, output, certificate(p12), "sohoa-test", level,
                                                        "--tsa", tsa.url, "--root", certificate("root-ca.pem")]
                                         + (certify ? ["--certify"] : []))
            guard result.status == 0 else {
                throw Tools.Missing(description: "pyHanko could not sign \(target): \(result.stderr.suffix(1500))")
            }
            return output
        }
        let once = try pyHanko(input, "pyhanko-b-b.pdf", "officer.p12", "B-B")
        documents["pyhanko-b-b"] = try Fixtures.read(once)
        documents["pyhanko-two-signatures"] = try Fixtures.read(try pyHanko(once, "pyhanko-two.pdf", "approver.p12", "B-T"))
        documents["pyhanko-certified"] = try Fixtures.read(try pyHanko(input, "pyhanko-certified.pdf", "officer.p12", "B-B",
                                                                       certify: true))

        var seeds: [String: MutationSeed] = [:]
        for name in names {
            guard let bytes = documents[name] else { throw Tools.Missing(description: "seed \(name) was not made") }
            seeds[name] = try describe(bytes, name: name, scratch: scratch)
        }
        let anchors = try TrustAnchors(loading: [certificate("root-ca.pem")])
        return Built(seeds: seeds, scratch: scratch, policy: VerificationPolicy(anchors: anchors, fetcher: nil))
    }

    /// The signed ranges from the bytes, and the anatomy from qpdf.
    static func describe(_ bytes: [UInt8], name: String, scratch: URL) throws -> MutationSeed {
        var ranges: [[Int]] = []
        for offset in bytes.offsets(of: "/ByteRange") {
            let numbers = PDFBytes.integers(in: bytes, from: offset + 10, count: 4)
            if numbers.count == 4 { ranges.append(numbers) }
        }
        guard !ranges.isEmpty else { throw Tools.Missing(description: "\(name): no /ByteRange") }
        let coveredEnd = ranges.map { $0[2] + $0[3] }.max()!
        let contents = ranges.map { ($0[1] + 1)..<($0[2] - 1) }
        let free = zip(ranges, contents).filter { own, digits in
            !ranges.contains { other in
                other != own && (digits.upperBound <= other[1] || (digits.lowerBound >= other[2] && digits.upperBound <= other[2] + other[3]))
            }
        }.map(\.1)

        let forged = try ForgedRevision(bytes, scratch: scratch)
        let (catalog, catalogText) = try forged.catalog()
        func entries(_ text: String) -> String {
            var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if body.hasPrefix("<<") { body.removeFirst(2) }
            if body.hasSuffix(">>") { body.removeLast(2) }
            return body.trimmingCharacters(in: .whitespaces)
        }
        func reference(_ key: String, in text: String) -> Int? {
            guard let range = text.range(of: key + #"\s*\[?\s*(\d+) 0 R"#, options: .regularExpression) else { return nil }
            return Int(text[range].dropFirst(key.count).split(whereSeparator: { !$0.isNumber }).first ?? "")
        }
        guard let pagesRoot = reference("/Pages", in: catalogText), let page = try forged.pages().first else {
            throw Tools.Missing(description: "\(name): no page tree in \(catalogText)")
        }
        let pageText = try forged.show(String(page))
        let trailer = try forged.show("trailer")
        let info = trailer.range(of: #"/Info \d+ \d+ R"#, options: .regularExpression).map { String(trailer[$0]) }
        let id = trailer.range(of: #"/ID \[[^\]]*\]"#, options: .regularExpression).map { String(trailer[$0]) }
        let startxrefs = bytes.offsets(of: "startxref").compactMap { PDFBytes.integers(in: bytes, from: $0 + 9, count: 1).first }
        let metadata = reference("/Metadata", in: catalogText)
        let xmp = try metadata.map {
            Array(try Tools.run("qpdf", ["--show-object=\($0)", "--filtered-stream-data", forged.path]).stdout.utf8)
        }
        let anatomy = SeedAnatomy(catalog: catalog, catalogEntries: entries(catalogText), pagesRoot: pagesRoot,
                                  pagesRootEntries: entries(try forged.show(String(pagesRoot))), page: page,
                                  pageEntries: entries(pageText), content: reference("/Contents", in: pageText),
                                  size: try forged.size(), info: info, id: id, startxrefs: startxrefs,
                                  offsets: try forged.offsets(), metadata: metadata, xmp: xmp)
        let signers = try ["officer.pem", "approver.pem"].flatMap {
            try Certificate.load(fileAt: Fixtures.certs.appendingPathComponent($0).path).map(\.derBytes)
        }
        return MutationSeed(name: name, bytes: bytes, coveredEnd: coveredEnd, freeContents: free, contents: contents,
                            unprotectedCMS: UnprotectedCMS.fileRanges(bytes, spans: free, signerCertificates: signers),
                            anatomy: anatomy)
    }
}

/// Small readers of PDF bytes, for the tests' own bookkeeping.
enum PDFBytes {
    /// PDF white space, as the verifier counts it after the last %%EOF.
    static let whitespace: Set<UInt8> = [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20]

    /// Up to `count` non-negative integers after `offset`, skipping white space and `[`.
    static func integers(in bytes: [UInt8], from offset: Int, count: Int) -> [Int] {
        var numbers: [Int] = []
        var index = offset
        while numbers.count < count, index < bytes.count {
            let byte = bytes[index]
            if whitespace.contains(byte) || byte == UInt8(ascii: "[") {
                index += 1
                continue
            }
            guard (0x30...0x39).contains(byte) else { break }
            var value = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]), value < Int.max / 20 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            numbers.append(value)
        }
        return numbers
    }

    /// The ranges of the number tokens outside stream data and outside `excluded`.
    static func numberTokens(in bytes: [UInt8], excluding excluded: [Range<Int>]) -> [Range<Int>] {
        var streams: [Range<Int>] = excluded
        for start in bytes.offsets(of: "stream") where start >= 3 && !bytes[(start - 3)..<start].elementsEqual("end".utf8) {
            if let end = bytes[start...].firstRange(of: Array("endstream".utf8)) { streams.append(start..<end.lowerBound) }
        }
        streams.sort { $0.lowerBound < $1.lowerBound }
        var tokens: [Range<Int>] = []
        var index = 0
        var skip = 0
        func isDelimiter(_ byte: UInt8) -> Bool {
            whitespace.contains(byte) || "[]<>()/{}%".utf8.contains(byte)
        }
        while index < bytes.count {
            while skip < streams.count, streams[skip].upperBound <= index { skip += 1 }
            if skip < streams.count, streams[skip].contains(index) {
                index = streams[skip].upperBound
                continue
            }
            let byte = bytes[index]
            let startsNumber = (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            if startsNumber, index == 0 || isDelimiter(bytes[index - 1]) {
                var end = index + 1
                while end < bytes.count, (0x30...0x39).contains(bytes[end]) || bytes[end] == UInt8(ascii: ".") { end += 1 }
                if end == bytes.count || isDelimiter(bytes[end]), end - index > (byte >= 0x30 ? 0 : 1) {
                    tokens.append(index..<end)
                }
                index = end
            } else {
                index += 1
            }
        }
        return tokens
    }
}

/// Where a CMS SignedData's parts lie that no signature protects: the certificates other than
/// the signers' own (bound by the signing-certificate attribute), the CRLs, and each signer
/// info's unsigned attributes (the time-stamp token among them, which only weakens the
/// signature when damaged or removed). A tiny DER walker of its own, not the verifier's parser.
enum UnprotectedCMS {
    struct Node {
        let tag: UInt8
        let start: Int
        let contentStart: Int
        let end: Int
    }

    static func node(_ der: [UInt8], at index: Int, limit: Int) -> Node? {
        guard index + 2 <= limit else { return nil }
        let tag = der[index]
        var length = Int(der[index + 1])
        var content = index + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...4).contains(count), content + count <= limit else { return nil }
            length = der[content..<(content + count)].reduce(0) { $0 << 8 | Int($1) }
            content += count
        }
        guard content + length <= limit else { return nil }
        return Node(tag: tag, start: index, contentStart: content, end: content + length)
    }

    static func children(_ der: [UInt8], of parent: Node) -> [Node] {
        var nodes: [Node] = []
        var index = parent.contentStart
        while index < parent.end, let child = node(der, at: index, limit: parent.end) {
            nodes.append(child)
            index = child.end
        }
        return nodes
    }

    /// DER offsets of the unprotected parts of the ContentInfo at the start of `der`.
    static func ranges(in der: [UInt8], signerCertificates: [[UInt8]]) -> [Range<Int>] {
        guard let root = node(der, at: 0, limit: der.count), root.tag == 0x30,
              let explicit = children(der, of: root).first(where: { $0.tag == 0xA0 }),
              let signedData = children(der, of: explicit).first, signedData.tag == 0x30 else { return [] }
        var ranges: [Range<Int>] = []
        for part in children(der, of: signedData) {
            switch part.tag {
            case 0xA0:
                for certificate in children(der, of: part)
                where !signerCertificates.contains(where: { $0.elementsEqual(der[certificate.start..<certificate.end]) }) {
                    ranges.append(certificate.start..<certificate.end)
                }
            case 0xA1:
                ranges.append(part.start..<part.end)
            case 0x31:
                for info in children(der, of: part) {
                    ranges += children(der, of: info).filter { $0.tag == 0xA1 }.map { $0.start..<$0.end }
                }
            default:
                break
            }
        }
        return ranges
    }

    /// The file ranges of the hexadecimal digits that spell the unprotected parts of each
    /// /Contents string in `spans`.
    static func fileRanges(_ bytes: [UInt8], spans: [Range<Int>], signerCertificates: [[UInt8]]) -> [Range<Int>] {
        spans.flatMap { span -> [Range<Int>] in
            var der: [UInt8] = []
            der.reserveCapacity(span.count / 2)
            var index = span.lowerBound
            while index + 1 < span.upperBound {
                guard let high = ByteMutant.hexValue(bytes[index]), let low = ByteMutant.hexValue(bytes[index + 1]) else { return [] }
                der.append(high << 4 | low)
                index += 2
            }
            return ranges(in: der, signerCertificates: signerCertificates)
                .map { (span.lowerBound + 2 * $0.lowerBound)..<(span.lowerBound + 2 * $0.upperBound) }
        }
    }
}
