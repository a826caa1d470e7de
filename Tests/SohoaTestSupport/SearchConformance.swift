import Foundation
import SohoaRepository
import Testing

/// What every store's search must find, and in which order: run by each implementation's
/// suite on the same corpus, and compared between the two (`results(of:in:)`).
public enum SearchConformance {
    static let citizen = StoreConformance.citizen
    static let other = StoreConformance.other
    static let first = StoreConformance.first
    static let second = StoreConformance.second
    /// The other citizen's case.
    static let theirs = try! DossierCode("000.00.01.H26-251126-0003")

    /// One document of the corpus: its title (what the checks name it by), owner, case and pages.
    struct Sample {
        let title: String
        var owner = SearchConformance.citizen
        var dossier = SearchConformance.first
        let pages: [String]
    }

    static let corpus: [Sample] = [
        Sample(title: "birth certificate", pages: [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nGIẤY KHAI SINH\nHọ và tên: Nguyễn Thị Lấp Lánh Ánh",
            "Nơi đăng ký: Ủy ban nhân dân phường Bến Nghé, quận 1",
        ]),
        Sample(title: "request", dossier: second, pages: [
            "ĐƠN ĐỀ NGHỊ\nKính gửi: Ủy ban nhân dân quận 1\nTôi tên là Trần Thị Bình, đề nghị cấp bản sao giấy tờ.",
            "Lý do: con tôi sinh năm 2019, cần khai lại thông tin.",
            "Kèm theo: giấy tờ tùy thân; nơi sinh của con; bản khai.",
        ]),
        Sample(title: "someone else's certificate", owner: other, dossier: theirs, pages: [
            "GIẤY KHAI SINH\nHọ và tên: Lê Văn Cường",
        ]),
        Sample(title: "typed without diacritics", pages: ["Ban sao giay khai sinh, nop kem ho so"]),
        Sample(title: "marriage", pages: ["GIẤY CHỨNG NHẬN ĐĂNG KÝ KẾT HÔN\nĐăng ký ngày 12/05/2024"]),
        Sample(title: "syntax", pages: [
            "Ghi chú: \"khai\" OR 1=1; DROP TABLE documents; -- NEAR(a b) sinh* 'x' % _ \\ ^ ~ : giấy",
        ]),
        Sample(title: "blank page first", pages: ["", "Bản khai sinh kèm theo"]),
    ]

    /// The corpus, filed in order (a few milliseconds apart, so that "newest first" is one
    /// order), each with a signed version after it; returns each title's document id.
    static func fileCorpus(_ store: any Store) async throws -> [String: DocumentID] {
        try await fileCorpusInto([store])[0]
    }

    /// The corpus filed into each of `stores`, document by document (so that their filing
    /// times are in the same order in every store); each title's document id, per store.
    public static func fileCorpusInto(_ stores: [any Store]) async throws -> [[String: DocumentID]] {
        var ids = [[String: DocumentID]](repeating: [:], count: stores.count)
        for (index, sample) in corpus.enumerated() {
            var new = StoreConformance.new("search \(index)", owner: sample.owner, cases: [sample.dossier])
            new.title = sample.title
            new.pages = sample.pages.enumerated().map { number, text in
                PageTextRecord(page: number + 1, text: text, confidence: text.isEmpty ? nil : 90, flag: nil)
            }
            for (position, store) in stores.enumerated() {
                let filed = try await store.file(new, actor: "intake", action: "file")
                _ = try await store.addVersion(to: filed.id, hash: StoreConformance.hash("search signed \(index)"), size: 2000,
                                               kind: .signed, state: .signed, actor: "officer", action: "sign")
                ids[position][sample.title] = filed.id
            }
            try await Task.sleep(for: .milliseconds(3))
        }
        return ids
    }

    /// What a store's search finds for `text`: each document's title, best page and match, best first.
    public static func results(of text: String, owner: OwnerID? = nil, dossier: DossierCode? = nil,
                               in store: any Store) async throws -> [String] {
        let query = try TextSearchQuery(text, owner: owner, dossier: dossier)
        let hits = SearchRanking.rank(try await store.pagesContaining(query, limit: 1000), for: query)
        var found: [String] = []
        for hit in hits {
            let title = try #require(try await store.document(hit.document)?.title)
            found.append("\(title) p\(hit.page) \(hit.match.rawValue)")
        }
        return found
    }

    /// The queries every store answers alike (the cross-engine check runs them all).
    public static let queries: [(text: String, owner: OwnerID?, dossier: DossierCode?)] = [
        ("giấy khai sinh", nil, nil), ("giay khai sinh", nil, nil), ("GIAY KHAI SINH", citizen, nil),
        ("giấy khai sinh", nil, second), ("dang ky", nil, nil), ("Đăng ký kết hôn", nil, nil), ("nguyen thi lap lanh anh", nil, nil),
        ("\"khai\" OR 1=1; DROP TABLE documents; --", nil, nil), ("sinh*", nil, nil), ("NEAR(a b)", nil, nil),
        ("quận 1", nil, nil), ("khai", other, nil), ("không có", nil, nil), ("ủy ban", citizen, first),
    ]

    /// Files the corpus into a fresh store and checks what each search finds.
    public static func searchesFindWhatTheyShould(_ store: any Store) async throws {
        let ids = try await fileCorpus(store)

        // With or without diacritics and in any case, the same documents; the phrase as typed
        // first, then the phrase without its diacritics, then the words apart.
        #expect(try await results(of: "giấy khai sinh", in: store) == [
            "someone else's certificate p1 phrase", "birth certificate p1 phrase", "typed without diacritics p1 phrase-without-diacritics",
            "syntax p1 words", "request p3 words",
        ])
        #expect(try await results(of: "giay khai sinh", in: store) == [
            "typed without diacritics p1 phrase", "someone else's certificate p1 phrase-without-diacritics",
            "birth certificate p1 phrase-without-diacritics", "syntax p1 words", "request p3 words",
        ])
        #expect(try await results(of: "GIAY KHAI SINH", owner: citizen, in: store) == [
            "typed without diacritics p1 phrase", "birth certificate p1 phrase-without-diacritics", "syntax p1 words",
            "request p3 words",
        ], "another citizen's document is never found for this one")
        #expect(try await results(of: "giấy khai sinh", dossier: second, in: store) == ["request p3 words"])
        #expect(try await results(of: "khai", owner: other, in: store) == ["someone else's certificate p1 phrase"])

        // đ, which Unicode does not decompose, is found as d.
        #expect(try await results(of: "dang ky", in: store) == ["marriage p1 phrase-without-diacritics",
                                                                "birth certificate p2 phrase-without-diacritics"])
        #expect(try await results(of: "Nguyen Thi Lap Lanh Anh", in: store) == ["birth certificate p1 phrase-without-diacritics"])

        // Query syntax of either database is only words.
        #expect(try await results(of: "\"khai\" OR 1=1; DROP TABLE documents; --", in: store) == ["syntax p1 phrase"])
        #expect(try await results(of: "sinh*", in: store).count == 6, "the star is no prefix search: \"sinh\" alone")
        #expect(try await results(of: "NEAR(a b)", in: store) == ["syntax p1 phrase"])
        #expect(try await results(of: "không có", in: store).isEmpty)
        #expect(try await store.document(ids["syntax"]!) != nil, "the tables are still there")

        // The text is the document's through its versions: the signed version has it.
        let signed = try await store.versions(of: ids["request"]!).last!
        #expect(signed.kind == .signed)
        #expect(try await store.pageTexts(of: ids["request"]!, version: signed.number).map(\.page) == [1, 2, 3])
        #expect(try await store.pageTexts(of: ids["request"]!, version: nil).first?.text.hasPrefix("ĐƠN ĐỀ NGHỊ") == true)
        let blank = try await store.pageTexts(of: ids["blank page first"]!, version: nil)
        #expect(blank.map(\.confidence) == [nil, 90] && blank.first?.text == "")

        // A document reused in another case is found there.
        try await store.link(ids["birth certificate"]!, to: second, actor: "clerk", action: "reuse")
        #expect(try await results(of: "giấy khai sinh", dossier: second, in: store) == ["birth certificate p1 phrase", "request p3 words"])

        // Text with no words, and a version without text, find nothing and break nothing.
        let plain = try await store.file(StoreConformance.new("no text"), actor: "intake", action: "file")
        #expect(try await store.pageTexts(of: plain.id, version: nil).isEmpty)
        #expect(try await store.pagesContaining(try TextSearchQuery("Đơn đề nghị"), limit: 100).allSatisfy { $0.document != plain.id },
                "a title is not page text")
    }

    /// The query's limit on candidates keeps the newest documents' pages.
    public static func candidatesAreTheNewestDocumentsPages(_ store: any Store) async throws {
        _ = try await fileCorpus(store)
        let all = try await store.pagesContaining(try TextSearchQuery("khai"), limit: 100)
        let two = try await store.pagesContaining(try TextSearchQuery("khai"), limit: 2)
        #expect(Array(all.prefix(2)) == two)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.filed >= $1.filed })
    }

    /// Every check, on a fresh store each.
    public static func all(_ make: () async throws -> any Store) async throws {
        try await searchesFindWhatTheyShould(await make())
        try await candidatesAreTheNewestDocumentsPages(await make())
    }
}
