import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

/// Mutated time-stamp requests always get an answer from the authority: a TimeStampResp whose
/// status says granted only for a TimeStampReq the authority accepts (version 1, a SHA-2
/// imprint of the right length, its own policy or none, no extensions), with the imprint and
/// nonce echoed, and only when the request is in DER; a rejection for everything else (BER
/// lengths, bytes after the request, ... : `TimeStampRequestFindings`). Never a crash.
///
/// The inputs are requests made by Sohoa (`TimeStampRequest`) and by `openssl ts -query`
/// (SHA-256/384/512 and SHA-1, with and without nonce, certificate request and policy). Each
/// case draws its mutation from its own fixed seed (`SplitMix64.forCase`): the DER structure
/// changed (contents given boundary values, tags changed, elements removed, repeated, swapped,
/// added, nested thousands deep, lengths written in BER and broken forms, bytes after the end)
/// or the bytes themselves. Whether a request is well-formed is judged here, by a reader of
/// its own (`RequestReading`), not by OpenSSL's.
///
/// `SOHOA_MUTATION_TSA_CASES` changes the number of cases and `SOHOA_MUTATION_SEED` explores
/// other cases; `SOHOA_MUTATION_TRACE=1` names each case before it runs.
@Suite struct TimeStampRequestMutationTests {
    static let cases = Int(ProcessInfo.processInfo.environment["SOHOA_MUTATION_TSA_CASES"] ?? "") ?? 5000
    static let seedOffset = UInt64(ProcessInfo.processInfo.environment["SOHOA_MUTATION_SEED"] ?? "") ?? 0
    static let trace = ProcessInfo.processInfo.environment["SOHOA_MUTATION_TRACE"] != nil

    /// The requests the mutants start from.
    static func seeds(in scratch: URL) throws -> [(name: String, der: [UInt8])] {
        var seeds: [(String, [UInt8])] = [("sohoa", try TimeStampRequest(message: Array("Hồ sơ".utf8)).der)]
        let data = try Fixtures.write(Array("data".utf8), named: "data.txt", in: scratch)
        let variants = [("sha256-cert", ["-sha256", "-cert"]), ("sha384-no-nonce", ["-sha384", "-no_nonce"]),
                        ("sha512-policy", ["-sha512", "-cert", "-tspolicy", TimeStampAuthority.Configuration.defaultPolicyOID]),
                        ("sha1", ["-sha1"]), ("other-policy", ["-sha256", "-tspolicy", "1.2.3.4"])]
        for (name, options) in variants {
            let out = scratch.appendingPathComponent("\(name).tsq").path
            let made = try Tools.run("openssl", ["ts", "-query", "-data", data] + options + ["-out", out])
            guard made.status == 0 else { throw Tools.Missing(description: "openssl ts -query \(options): \(made.stderr)") }
            seeds.append((name, try Fixtures.read(out)))
        }
        return seeds
    }

    @Test func mutatedRequestsAreAnsweredAndGrantedOnlyWhenWellFormed() async throws {
        let scratch = try Fixtures.makeScratch("tsa-mutation")
        defer { Fixtures.removeScratch(scratch) }
        let certs = Fixtures.certs
        let authority = try TimeStampAuthority(.init(certificatePath: certs.appendingPathComponent("tsa.pem").path,
                                                     keyPath: certs.appendingPathComponent("tsa.key.pem").path,
                                                     chainPath: certs.appendingPathComponent("tsa-chain.pem").path,
                                                     serialFile: scratch.appendingPathComponent("serial").path))
        let seeds = try Self.seeds(in: scratch)
        for seed in seeds {
            let reading = RequestReading(seed.der)
            #expect(reading.wellFormed, "the unmutated \(seed.name) request reads as well-formed: \(reading.problems) \(reading.derDepartures)")
            let status = try #require(ResponseReading(authority.respond(to: seed.der)), "an answer to \(seed.name)").status
            #expect((status <= 1) == reading.acceptable, "\(seed.name): status \(status)")
        }
        let runSeed: UInt64 = 0x75A_0000 &+ Self.seedOffset
        var granted = 0, rejected = 0, wellFormedRejected = 0
        let started = Date()
        for index in 0..<Self.cases {
            if index % 100 == 0 { await Task.yield() }  // let the other suites' tasks run
            var generator = SplitMix64.forCase(index, of: runSeed)
            let seed = seeds.randomElement(using: &generator)!
            let mutant = DERMutants.mutate(seed.der, using: &generator)
            let label = "case \(index) (run seed \(runSeed)) from \(seed.name): \(mutant.what)"
            if Self.trace { FileHandle.standardError.write(Data("tsa \(label)\n".utf8)) }
            let answer = authority.respond(to: mutant.bytes)
            guard let response = ResponseReading(answer) else {
                Issue.record("\(label): the answer is not a TimeStampResp: \(answer.prefix(64))")
                continue
            }
            let reading = RequestReading(mutant.bytes)
            guard response.granted else {
                rejected += 1
                #expect(response.status == 2, "\(label): status \(response.status)")
                if reading.acceptable, reading.derDepartures.isEmpty { wellFormedRejected += 1 }
                continue
            }
            granted += 1
            #expect(reading.acceptable, "\(label): granted a request that is not acceptable: \(reading.problems)")
            #expect(reading.derDepartures.isEmpty, "\(label): granted a request that is not DER: \(reading.derDepartures)")
            let token = try TimeStampResponse(der: answer)
            #expect(token.messageImprint == reading.imprint, "\(label): the imprint is echoed")
            #expect(token.policyOID == TimeStampAuthority.Configuration.defaultPolicyOID)
            if let nonce = reading.nonceHex { #expect(token.nonceHex == nonce, "\(label): the nonce is echoed") }
        }
        #expect(wellFormedRejected == 0, "every acceptable DER request is granted")
        print("mutation tsa: \(Self.cases) cases from \(seeds.count) requests: granted \(granted), rejected \(rejected) "
              + "(well-formed and acceptable yet rejected \(wellFormedRejected)) "
              + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

/// A TimeStampResp as far as these tests read it: its status, and whether a token came with it.
struct ResponseReading {
    let status: Int
    let hasToken: Bool

    var granted: Bool { status <= 1 && hasToken }

    init?(_ bytes: [UInt8]) {
        guard let root = BERNode.read(bytes), root.consumed == bytes.count, root.node.tag == 0x30,
              let info = root.node.children.first, info.tag == 0x30, let status = info.children.first, status.tag == 0x02,
              (1...2).contains(status.content.count), root.node.children.count <= 2 else { return nil }
        self.status = status.content.reduce(0) { $0 << 8 | Int($1) }
        hasToken = root.node.children.count == 2
        // A token comes with a granted status and only then.
        guard (self.status <= 1) == hasToken else { return nil }
    }
}

/// One BER element, read leniently, with every departure from DER noted.
struct BERNode {
    let tag: UInt8
    var constructed: Bool { tag & 0x20 != 0 }
    let content: [UInt8]
    let children: [BERNode]

    /// The element at the start of `bytes`, how many bytes it took, and the departures from DER.
    static func read(_ bytes: [UInt8]) -> (node: BERNode, consumed: Int, departures: [String])? {
        var index = 0
        var departures: [String] = []
        guard let node = read(bytes, &index, bytes.count, depth: 0, &departures) else { return nil }
        return (node, index, departures)
    }

    private static func read(_ b: [UInt8], _ i: inout Int, _ limit: Int, depth: Int, _ departures: inout [String]) -> BERNode? {
        guard depth < 64, i + 2 <= limit else { return nil }
        let tag = b[i]
        guard tag & 0x1F != 0x1F else { return nil }  // no request uses high tag numbers
        let first = Int(b[i + 1])
        i += 2
        var length: Int?
        if first == 0x80 {
            guard tag & 0x20 != 0 else { return nil }
            departures.append("indefinite length")
        } else if first > 0x80 {
            // BER allows leading zero bytes in a long-form length; DER wants the shortest form.
            let count = first & 0x7F
            guard count < 0x7F, i + count <= limit else { return nil }
            let digits = b[i..<(i + count)].drop { $0 == 0 }
            guard digits.count <= 7 else { return nil }
            let value = digits.reduce(0) { $0 << 8 | Int($1) }
            if value < 0x80 || b[i] == 0 { departures.append("length not minimal") }
            i += count
            length = value
        } else {
            length = first
        }
        if let length {
            guard length <= limit - i else { return nil }
            let end = i + length
            guard tag & 0x20 != 0 else {
                defer { i = end }
                return BERNode(tag: tag, content: Array(b[i..<end]), children: [])
            }
            var children: [BERNode] = []
            while i < end {
                guard let child = read(b, &i, end, depth: depth + 1, &departures) else { return nil }
                children.append(child)
            }
            return BERNode(tag: tag, content: [], children: children)
        }
        var children: [BERNode] = []
        while true {
            guard i + 2 <= limit else { return nil }
            if b[i] == 0, b[i + 1] == 0 {
                i += 2
                return BERNode(tag: tag, content: [], children: children)
            }
            guard let child = read(b, &i, limit, depth: depth + 1, &departures) else { return nil }
            children.append(child)
        }
    }
}

/// A TimeStampReq (RFC 3161, 2.4.1) as this test reads it, independently of OpenSSL:
///
///     TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
///         reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
///         extensions [0] IMPLICIT Extensions OPTIONAL }
///     MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
struct RequestReading {
    /// Why the bytes are not a TimeStampReq at all.
    var problems: [String] = []
    /// Where a TimeStampReq is written in BER, against a constraint of its ASN.1 (an empty
    /// extension list, certReq FALSE written out), or with bytes after it: not in DER.
    var derDepartures: [String] = []
    var algorithm: [UInt8]?
    var imprint: [UInt8]?
    var nonceHex: String?
    var policy: [UInt8]?
    var hasExtensions = false

    static let digestLengths: [[UInt8]: Int] = [DERMutants.sha1: 20, DERMutants.sha256: 32, DERMutants.sha384: 48,
                                                DERMutants.sha512: 64, DERMutants.md5: 16]
    /// What the authority accepts: SHA-2 imprints, its own policy.
    static let acceptedDigests: [[UInt8]] = [DERMutants.sha256, DERMutants.sha384, DERMutants.sha512]
    static let defaultPolicy: [UInt8] = [0x88, 0x37, 0x98, 0x59, 0x01]

    /// A TimeStampReq, in DER.
    var wellFormed: Bool { problems.isEmpty && derDepartures.isEmpty }

    /// A TimeStampReq (in BER at least) the authority may grant: version 1, an accepted digest
    /// of the right length, its own policy or none, no extensions.
    var acceptable: Bool {
        problems.isEmpty && !hasExtensions && algorithm.map(Self.acceptedDigests.contains) == true
            && (policy == nil || policy == Self.defaultPolicy)
    }

    init(_ bytes: [UInt8]) {
        guard let (root, consumed, departures) = BERNode.read(bytes) else {
            problems.append("not a BER element")
            return
        }
        derDepartures = departures
        if consumed < bytes.count { derDepartures.append("bytes after the request") }
        guard root.tag == 0x30 else { problems.append("not a SEQUENCE"); return }
        var fields = root.children[...]
        guard let version = fields.popFirst(), version.tag == 0x02, integer(version) == [1] else {
            problems.append("version is not 1")
            return
        }
        guard let messageImprint = fields.popFirst(), messageImprint.tag == 0x30, messageImprint.children.count == 2,
              let identifier = messageImprint.children.first, identifier.tag == 0x30,
              (1...2).contains(identifier.children.count), identifier.children[0].tag == 0x06,
              let hashed = messageImprint.children.last, hashed.tag == 0x04 else {
            problems.append("no MessageImprint")
            return
        }
        let oid = identifier.children[0].content
        guard Self.validOID(oid) else { problems.append("the hash algorithm is not an object identifier"); return }
        if identifier.children.count == 2 {
            let parameters = identifier.children[1]
            guard parameters.tag == 0x05, parameters.content.isEmpty else { problems.append("hash parameters are not NULL"); return }
        }
        algorithm = oid
        imprint = hashed.content
        if let expected = Self.digestLengths[oid], expected != hashed.content.count {
            problems.append("the imprint is \(hashed.content.count) bytes, not \(expected)")
        }
        if let next = fields.first, next.tag == 0x06 {
            guard Self.validOID(next.content) else { problems.append("the policy is not an object identifier"); return }
            policy = next.content
            fields.removeFirst()
        }
        if let next = fields.first, next.tag == 0x02 {
            guard let value = integer(next) else { problems.append("the nonce is not an integer"); return }
            if value.first.map({ $0 < 0x80 }) == true {
                // As OpenSSL's BN_bn2hex writes it: whole bytes, upper case, "0" for zero.
                let digits = value.drop { $0 == 0 }.map { String(format: "%02X", $0) }.joined()
                nonceHex = digits.isEmpty ? "0" : digits
            }
            fields.removeFirst()
        }
        if let next = fields.first, next.tag == 0x01 {
            guard next.content.count == 1 else { problems.append("certReq is not a BOOLEAN"); return }
            if next.content[0] != 0xFF { derDepartures.append(next.content[0] == 0 ? "certReq FALSE written" : "BOOLEAN not DER") }
            fields.removeFirst()
        }
        if let next = fields.first, next.tag == 0xA0 {
            hasExtensions = !next.children.isEmpty
            let ok = next.children.allSatisfy { extensionNode in
                extensionNode.tag == 0x30 && (2...3).contains(extensionNode.children.count) && extensionNode.children[0].tag == 0x06
                    && extensionNode.children.last?.tag == 0x04
            }
            if !ok { problems.append("the extensions are not Extensions") }
            // Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
            if next.children.isEmpty { derDepartures.append("empty extension list") }
            fields.removeFirst()
        }
        if !fields.isEmpty { problems.append("\(fields.count) elements too many") }
    }

    /// An INTEGER's content, noting a non-minimal one; nil when it is empty or constructed.
    private mutating func integer(_ node: BERNode) -> [UInt8]? {
        guard !node.constructed, !node.content.isEmpty else { return nil }
        let c = node.content
        if c.count > 1, (c[0] == 0 && c[1] < 0x80) || (c[0] == 0xFF && c[1] >= 0x80) { derDepartures.append("INTEGER not minimal") }
        return c
    }

    /// Whether `content` spells an object identifier: arcs in base 128, each minimal, the last one ended.
    static func validOID(_ content: [UInt8]) -> Bool {
        guard let last = content.last, last < 0x80 else { return false }
        var startOfArc = true
        for byte in content {
            if startOfArc, byte == 0x80 { return false }
            startOfArc = byte < 0x80
        }
        return true
    }
}

/// What the request mutation tests found, kept as a regression test: OpenSSL's responder reads
/// the request as BER and stops at its end, so the authority checks that what it read encodes
/// back to exactly the bytes it was given, and refuses a TimeStampReq that is not in DER.
@Suite struct TimeStampRequestFindings {
    enum NotDER: String, CaseIterable, Sendable {
        case zeroBytesAfterTheRequest, aSecondRequestAfterIt, paddedLongFormLength, indefiniteLength, certReqTrueAsOne,
             emptyExtensionList
    }

    @Test(arguments: NotDER.allCases)
    func aRequestThatIsNotDERIsRejected(_ variant: NotDER) throws {
        let scratch = try Fixtures.makeScratch("tsa-known")
        defer { Fixtures.removeScratch(scratch) }
        let certs = Fixtures.certs
        let authority = try TimeStampAuthority(.init(certificatePath: certs.appendingPathComponent("tsa.pem").path,
                                                     keyPath: certs.appendingPathComponent("tsa.key.pem").path,
                                                     serialFile: scratch.appendingPathComponent("serial").path))
        let der = try TimeStampRequest(message: Array("Hồ sơ".utf8)).der
        let tree = try #require(DERElement.parse(der))
        guard case .constructed(let tag, let fields) = tree else { throw Tools.Missing(description: "not a SEQUENCE") }
        let request: [UInt8]
        switch variant {
        case .zeroBytesAfterTheRequest: request = der + [0, 0]
        case .aSecondRequestAfterIt: request = der + der
        case .paddedLongFormLength: request = tree.encoded(.paddedLongForm, at: [])
        case .indefiniteLength: request = tree.encoded(.indefinite, at: [])
        case .certReqTrueAsOne:
            request = DERElement.constructed(tag: tag, children: fields.map {
                $0 == .primitive(tag: [0x01], content: [0xFF]) ? .primitive(tag: [0x01], content: [0x01]) : $0
            }).encoded()
        case .emptyExtensionList:
            request = DERElement.constructed(tag: tag, children: fields + [.constructed(tag: [0xA0], children: [])]).encoded()
        }
        let reading = RequestReading(request)
        #expect(reading.problems.isEmpty && !reading.derDepartures.isEmpty, "a TimeStampReq, not in DER: \(reading)")
        let response = try #require(ResponseReading(authority.respond(to: request)))
        #expect(response.status == 2, "rejected, not granted (status \(response.status))")
    }
}
