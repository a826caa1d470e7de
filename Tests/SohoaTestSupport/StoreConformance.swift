import Foundation
import SohoaRepository
import Testing

/// What every `Store` must do, whatever keeps its records: run by each implementation's suite.
public enum StoreConformance {
    public static let citizen = try! OwnerID("001085012345")
    public static let other = try! OwnerID("079203004567")
    public static let first = try! DossierCode("000.00.01.H26-251124-0001")
    public static let second = try! DossierCode("000.00.01.H26-251125-0002")

    static func isConflict(_ error: StoreError) -> Bool {
        if case .conflict = error { true } else { false }
    }

    public static func hash(_ seed: String) -> ContentHash {
        ContentHash(digest: Array(seed.utf8.prefix(32)) + [UInt8](repeating: 0, count: max(0, 32 - seed.utf8.count)))
    }

    public static func new(_ seed: String, owner: OwnerID = citizen, cases: [DossierCode] = [first], type: String = "don-de-nghi")
        -> NewDocument {
        NewDocument(owner: owner, cases: cases, type: type, title: "Đơn đề nghị \(seed)", state: .pending, kind: .assembled,
                    hash: hash(seed), size: 1000)
    }

    public static func filedDocumentsReadBack(_ store: any Store) async throws {
        let filed = try await store.file(new("a"), actor: "intake", action: "file")
        #expect(try await store.document(filed.id) == filed)
        #expect(filed.owner == citizen.description && filed.cases == [first.rawValue] && filed.state == .pending)
        #expect(filed.title == "Đơn đề nghị a" && filed.latest == hash("a"))
        #expect(try await store.documents(owner: citizen, dossier: nil, type: nil).map(\.id) == [filed.id])
        #expect(try await store.documents(owner: other, dossier: nil, type: nil).isEmpty)
        #expect(try await store.document(DocumentID.random()) == nil)
        #expect(try await store.owner(of: first) == citizen)
        #expect(try await store.owner(of: second) == nil)
    }

    public static func versionsFormAProvenanceChain(_ store: any Store) async throws {
        let filed = try await store.file(new("scan"), actor: "intake", action: "file")
        let signed = try await store.addVersion(to: filed.id, hash: hash("signed"), size: 2000, kind: .signed, state: .signed,
                                          actor: "officer", action: "sign")
        let approved = try await store.addVersion(to: filed.id, hash: hash("approved"), size: 3000, kind: .approved, state: .approved,
                                            actor: "leader", action: "approve")
        let newer = await #expect(throws: StoreError.self, "made from a version that is no longer the newest") {
            try await store.addVersion(to: filed.id, hash: hash("late"), size: 1, kind: .signed, state: .signed, expecting: hash("scan"),
                                 from: nil, actor: "officer 2", action: "sign")
        }
        #expect(newer.map(isConflict) == true && newer?.isTransient == false, "a lost compare-and-set is a conflict: \(String(describing: newer))")
        let moved = await #expect(throws: StoreError.self, "the document is no longer in the state the signer saw") {
            try await store.addVersion(to: filed.id, hash: hash("late"), size: 1, kind: .signed, state: .signed, expecting: nil,
                                 from: .pending, actor: "officer 2", action: "sign")
        }
        #expect(moved.map(isConflict) == true, "another state is a conflict: \(String(describing: moved))")
        let missing = await #expect(throws: StoreError.self) {
            try await store.addVersion(to: DocumentID.random(), hash: hash("late"), size: 1, kind: .signed, state: .signed,
                                 actor: "officer", action: "sign")
        }
        #expect(missing.map { if case .notFound = $0 { true } else { false } } == true, "\(String(describing: missing))")
        let versions = try await store.versions(of: filed.id)
        #expect(versions.map(\.number) == [1, 2, 3])
        #expect(versions.map(\.parent) == [nil, hash("scan"), hash("signed")])
        #expect(signed.parent == hash("scan") && approved.parent == hash("signed"))
        let now = try #require(try await store.document(filed.id))
        #expect(now.state == .approved && now.latest == hash("approved"))
        #expect(try await store.referencedHashes().isSuperset(of: [hash("scan"), hash("signed"), hash("approved")]))
    }

    public static func documentsAreLinkedToCasesNotCopied(_ store: any Store) async throws {
        let filed = try await store.file(new("reused"), actor: "intake", action: "file")
        try await store.link(filed.id, to: second, actor: "officer", action: "reuse")
        try await store.link(filed.id, to: second, actor: "officer", action: "reuse")  // twice: still one link
        #expect(try await store.document(filed.id)?.cases == [first.rawValue, second.rawValue])
        #expect(try await store.documents(owner: citizen, dossier: second, type: nil).map(\.id) == [filed.id])
        #expect(try await store.documents(owner: citizen, containing: hash("reused")).map(\.id) == [filed.id])
        #expect(try await store.versions(of: filed.id).count == 1, "a link is not a copy")
    }

    public static func aCaseBelongsToOneOwner(_ store: any Store) async throws {
        _ = try await store.file(new("mine"), actor: "intake", action: "file")
        let refusal = await #expect(throws: StoreError.self) { try await store.file(new("theirs", owner: other), actor: "intake", action: "file") }
        #expect(refusal == .ownedByAnotherCitizen(dossier: first, owner: citizen.description, claimant: other.description))
        #expect(refusal?.isTransient == false, "a refusal is never retried")
        #expect(refusal?.description == "the case \(first) belongs to \(citizen), not to \(other)")
        #expect(try await store.documents(owner: other, dossier: nil, type: nil).isEmpty, "nothing half-filed")
    }

    public static func listsFilterByCaseAndType(_ store: any Store) async throws {
        let a = try await store.file(new("p1", type: "giay-to"), actor: "intake", action: "file")
        let b = try await store.file(new("p2", cases: [second], type: "don"), actor: "intake", action: "file")
        #expect(try await store.documents(owner: citizen, dossier: second, type: nil).map(\.id) == [b.id])
        #expect(try await store.documents(owner: citizen, dossier: nil, type: "giay-to").map(\.id) == [a.id])
        #expect(try await store.documents(owner: citizen, dossier: first, type: "don").isEmpty)
    }

    public static func theAuditLogIsAHashChain(_ store: any Store) async throws {
        let filed = try await store.file(new("audited"), actor: "intake", action: "file")
        try await store.record(actor: "auditor", action: "read", subject: filed.id.rawValue, detail: "looked")
        let log = try await store.auditLog()
        #expect(log.count >= 2)
        #expect(log.first?.previous == AuditChain.genesis)
        #expect(zip(log, log.dropFirst()).allSatisfy { $1.previous == $0.hash })
        #expect(AuditChain.problems(in: log).isEmpty)
        #expect(try await store.auditCount(action: "read") == 1)
        #expect(try await store.auditCount(action: "export") == 0)
        var edited = log
        let victim = edited[0]
        edited[0] = AuditEntry(sequence: victim.sequence, time: victim.time, actor: "someone else", action: victim.action,
                               subject: victim.subject, detail: victim.detail, previous: victim.previous, hash: victim.hash)
        #expect(!AuditChain.problems(in: edited).isEmpty, "an edited entry breaks the chain")
        #expect(!AuditChain.problems(in: Array(log.dropFirst())).isEmpty || log.count < 2, "a removed entry breaks the chain")
    }

    /// A document made from several page scans names each of them, in order (issue 14, bug 5).
    public static func aVersionNamesEverySourceItWasMadeFrom(_ store: any Store) async throws {
        var pages = new("folder")
        pages.sources = [SourceFile(hash: hash("page-1"), size: 10), SourceFile(hash: hash("page-2"), size: 11),
                         SourceFile(hash: hash("page-3"), size: 12)]
        let folder = try await store.file(pages, actor: "intake", action: "file")
        let versions = try await store.versions(of: folder.id)
        #expect(versions.map(\.kind) == [.source, .source, .source, .assembled])
        #expect(versions.map(\.sources) == [[], [], [], [hash("page-1"), hash("page-2"), hash("page-3")]])
        #expect(versions.last?.parent == hash("page-1"), "the first source is the parent")
        var one = new("single")
        one.sources = [SourceFile(hash: hash("scan"), size: 10)]
        let single = try await store.file(one, actor: "intake", action: "file")
        #expect(try await store.versions(of: single.id).map(\.sources) == [[], [hash("scan")]])
        let signed = try await store.addVersion(to: folder.id, hash: hash("signed"), size: 20, kind: .signed, state: .signed,
                                          actor: "officer", action: "sign")
        #expect(signed.sources == [hash("folder")] && signed.parent == hash("folder"))
        #expect(try await store.versions(of: folder.id).last.map { [$0.hash: $0.sources] } == [hash("signed"): [hash("folder")]])
        #expect(try await store.versions(of: try await store.file(new("imported"), actor: "import", action: "import").id).map(\.sources) == [[]])
    }

    /// Lists by any combination of owner, case, type, state and filing time, no owner needed.
    public static func documentsMatchAQuery(_ store: any Store) async throws {
        let a = try await store.file(new("q1", type: "giay-to"), actor: "intake", action: "file")
        let b = try await store.file(new("q2", cases: [second], type: "don"), actor: "intake", action: "file")
        let c = try await store.file(new("q3", owner: other, cases: [try DossierCode("000.00.01.H26-251126-0003")], type: "don"),
                               actor: "intake", action: "file")
        _ = try await store.addVersion(to: b.id, hash: hash("q2 signed"), size: 1, kind: .signed, state: .signed, actor: "officer",
                                 action: "sign")
        #expect(try await store.documents(matching: DocumentQuery()).map(\.id) == [a.id, b.id, c.id])
        #expect(try await store.documents(matching: DocumentQuery(type: "don")).map(\.id) == [b.id, c.id])
        #expect(try await store.documents(matching: DocumentQuery(state: .pending)).map(\.id) == [a.id, c.id])
        #expect(try await store.documents(matching: DocumentQuery(dossier: second)).map(\.id) == [b.id])
        #expect(try await store.documents(matching: DocumentQuery(owner: other, state: .pending)).map(\.id) == [c.id])
        let now = Date()
        #expect(try await store.documents(matching: DocumentQuery(filedFrom: now.addingTimeInterval(-3600),
                                                            filedBefore: now.addingTimeInterval(3600))).count == 3)
        #expect(try await store.documents(matching: DocumentQuery(filedFrom: now.addingTimeInterval(3600))).isEmpty)
        #expect(try await store.documents(matching: DocumentQuery(filedBefore: now.addingTimeInterval(-3600))).isEmpty)
    }

    /// The start of an id finds its document; one that starts no id finds nothing.
    public static func idPrefixesFindDocuments(_ store: any Store) async throws {
        let filed = try await store.file(new("prefixed"), actor: "intake", action: "file")
        _ = try await store.file(new("other"), actor: "intake", action: "file")
        for length in [6, 12, 32] {
            let prefix = try DocumentIDPrefix(String(filed.id.rawValue.prefix(length)))
            #expect(try await store.documentIDs(startingWith: prefix, limit: 5) == [filed.id])
            #expect(try await DocumentLookup.resolve(prefix, in: store) == filed.id)
        }
        let flipped = String(filed.id.rawValue.prefix(5)) + (filed.id.rawValue.dropFirst(5).first == "0" ? "1" : "0")
        let missing = try DocumentIDPrefix(flipped)
        if try await store.documentIDs(startingWith: missing, limit: 5).isEmpty {
            await #expect(throws: DocumentLookupError.notFound(missing)) { try await DocumentLookup.resolve(missing, in: store) }
        }
    }

    /// Nodes are heard from (a start and heartbeats make one row), say when they stop, and
    /// those not heard from for long are left out.
    public static func nodesAreHeardFromAndStop(_ store: any Store) async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let node = NodeRecord(name: "node-a:101", host: "node-a", pid: 101, role: "watch", inbox: "/srv/inbox", workers: 2,
                              started: start, lastSeen: start)
        try await store.announce(node, now: start)
        try await store.announce(node, now: start.addingTimeInterval(10))
        var nodes = try await store.nodes(seenSince: start.addingTimeInterval(-3600))
        #expect(nodes.count == 1 && nodes.first?.lastSeen == start.addingTimeInterval(10) && nodes.first?.started == start)
        #expect(nodes.first?.stopped == nil && nodes.first?.workers == 2 && nodes.first?.inbox == "/srv/inbox")
        try await store.nodeStopped(node.name, now: start.addingTimeInterval(12))
        nodes = try await store.nodes(seenSince: start.addingTimeInterval(-3600))
        #expect(nodes.first?.stopped == start.addingTimeInterval(12))
        let old = NodeRecord(name: "node-b:7", host: "node-b", pid: 7, role: "watch", inbox: "/srv/inbox", workers: 1,
                             started: start.addingTimeInterval(-200_000), lastSeen: start.addingTimeInterval(-200_000))
        try await store.announce(old, now: start.addingTimeInterval(-200_000))
        #expect(try await store.nodes(seenSince: start.addingTimeInterval(-86_400)).map(\.name) == ["node-a:101"])
        try await store.announce(node, now: start.addingTimeInterval(20))
        #expect(try await store.nodes(seenSince: start).first?.stopped == nil, "a node started again runs")
    }

    /// Records copied into another store read back as they were, and a second copy writes nothing.
    public static func copiedRecordsReadBackAsTheyWere(from source: any Store, to target: any Store) async throws {
        let scanned = try await source.file(NewDocument(owner: citizen, cases: [first], procedure: "1.001", type: "giay-khai-sinh",
                                                        title: "Giấy khai sinh", state: .pending, kind: .assembled,
                                                        hash: hash("copy pdf"), size: 900,
                                                        sources: [SourceFile(hash: hash("copy p1"), size: 10),
                                                                  SourceFile(hash: hash("copy p2"), size: 20)],
                                                        pages: [PageTextRecord(page: 1, text: "GIẤY KHAI SINH", confidence: 93.5, flag: nil),
                                                                PageTextRecord(page: 2, text: "", confidence: nil, flag: "no text")]),
                                            actor: "intake", action: "file")
        _ = try await source.addVersion(to: scanned.id, hash: hash("copy signed"), size: 1000, kind: .signed, state: .signed,
                                        actor: "officer", action: "sign")
        try await source.link(scanned.id, to: second, actor: "clerk", action: "reuse")
        _ = try await source.receive(JobQueueConformance.record("copy"), job: JobQueueConformance.assemble("copy"), now: Date())
        let lease = try #require(try await source.claimJob(stage: "assemble", worker: "w", leaseFor: 60, now: Date()))
        try await source.fail(lease, reason: "a reason", vietnamese: "một lý do", retryAt: Date().addingTimeInterval(60), now: Date())
        let head = try #require(try await source.auditLog().last)
        try await source.addAnchor(Anchor(sequence: head.sequence, head: head.hash, token: [1, 2, 3], time: Date()), actor: "auditor")

        func copy() async throws -> Int {
            var written = try await target.insertCases(try await source.allCases())
            var documents: [(document: Document, versions: [DocumentVersion])] = []
            for id in try await source.allDocumentIDs() {
                documents.append((try #require(try await source.document(id)), try await source.versions(of: id)))
            }
            written += try await target.insertDocuments(documents)
            var texts: [(document: DocumentID, version: Int, pages: [PageTextRecord])] = []
            for (document, _) in documents {
                for (version, pages) in try await source.recordedPageTexts(of: document.id) { texts.append((document.id, version, pages)) }
            }
            written += try await target.insertPageTexts(texts)
            written += try await target.insertIntake(try await source.intakeLog(limit: 100).reversed())
            written += try await target.insertJobs(try await source.allJobs())
            written += try await target.insertAuditEntries(try await source.auditLog())
            written += try await target.insertAnchors(try await source.anchors())
            return written
        }
        #expect(try await copy() > 0)
        #expect(try await copy() == 0, "a second copy writes nothing")
        #expect(try await target.document(scanned.id) == source.document(scanned.id))
        #expect(try await target.versions(of: scanned.id) == source.versions(of: scanned.id))
        #expect(try await target.pageTexts(of: scanned.id, version: nil) == source.pageTexts(of: scanned.id, version: nil))
        #expect(try await target.pageTexts(of: scanned.id, version: nil).map(\.confidence) == [93.5, nil])
        #expect(try await target.pagesContaining(try TextSearchQuery("giay khai sinh"), limit: 10).map(\.document) == [scanned.id],
                "the copied text is found")
        #expect(try await target.caseRecord(first) == source.caseRecord(first))
        #expect(try await target.allCases() == source.allCases())
        #expect(try await target.intakeLog(limit: 100) == source.intakeLog(limit: 100))
        #expect(try await target.allJobs() == source.allJobs())
        #expect(try await target.auditLog() == source.auditLog())
        #expect(try await target.anchors() == source.anchors())
        #expect(AuditChain.problems(in: try await target.auditLog()).isEmpty)
        // Numbering goes on after the copied rows.
        let next = try await target.enqueue(JobQueueConformance.assemble("after"), now: Date())
        #expect(try await target.allJobs().dropLast().allSatisfy { $0.id < next })
        let copiedHead = try #require(try await source.auditLog().last)
        let entry = try await target.record(actor: "auditor", action: "check", subject: "audit", detail: "after the copy")
        #expect(entry.previous == copiedHead.hash && entry.sequence == copiedHead.sequence + 1, "the chain goes on")
        // A target whose history differs is refused.
        let forged = AuditEntry(sequence: 1, time: Date(), actor: "x", action: "x", subject: "x", detail: "x",
                                previous: AuditChain.genesis, hash: String(repeating: "f", count: 64))
        let refused = await #expect(throws: StoreError.self) { try await target.insertAuditEntries([forged]) }
        #expect(refused.map(isConflict) == true)
    }

    /// Every check, on a fresh store each (made by `make`).
    public static func all(_ make: () async throws -> any Store) async throws {
        try await filedDocumentsReadBack(await make())
        try await versionsFormAProvenanceChain(await make())
        try await documentsAreLinkedToCasesNotCopied(await make())
        try await aCaseBelongsToOneOwner(await make())
        try await listsFilterByCaseAndType(await make())
        try await theAuditLogIsAHashChain(await make())
        try await aVersionNamesEverySourceItWasMadeFrom(await make())
        try await documentsMatchAQuery(await make())
        try await idPrefixesFindDocuments(await make())
        try await nodesAreHeardFromAndStop(await make())
        try await copiedRecordsReadBackAsTheyWere(from: await make(), to: await make())
    }
}
