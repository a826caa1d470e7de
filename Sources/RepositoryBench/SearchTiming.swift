import Foundation
import SohoaPostgres
import SohoaRepository

/// `make bench`'s search rows: files `count` documents of two pages of Vietnamese text (about
/// 250 words a page, from a pool of administrative sentences and 900 names) into a new store,
/// then times `repo search`'s path — the store's candidate pages, then Sohoa's ranking and
/// snippets — for a rare phrase, a common one, and a common one within one citizen's documents.
struct SearchTiming {
    let engine: ClaimThroughput.Engine
    let target: String
    let count: Int

    static let sentences = [
        "Cộng hòa xã hội chủ nghĩa Việt Nam, độc lập tự do hạnh phúc.", "Kính gửi Ủy ban nhân dân phường Bến Thành.",
        "Tôi đề nghị cấp bản sao giấy khai sinh cho con.", "Giấy chứng nhận đăng ký kết hôn số 215 quyển số 03.",
        "Nơi cư trú hiện tại tại đường Lê Lợi, quận 1.", "Số định danh cá nhân được ghi trên căn cước công dân.",
        "Người làm đơn cam đoan những thông tin trên là đúng sự thật.", "Hồ sơ gồm tờ khai, giấy tờ tùy thân và lệ phí.",
        "Xác nhận tình trạng hôn nhân để sử dụng vào việc mua bán nhà đất.", "Ngày tháng năm sinh, giới tính, dân tộc, quốc tịch.",
        "Biên bản bàn giao tài sản giữa hai bên đã được ký.", "Giấy ủy quyền thực hiện thủ tục hành chính thay người ủy quyền.",
        "Quyết định có hiệu lực kể từ ngày ký.", "Chủ tịch Ủy ban nhân dân quận ký tên và đóng dấu.",
        "Thời hạn giải quyết là năm ngày làm việc kể từ khi nhận đủ hồ sơ.", "Lệ phí được nộp tại bộ phận một cửa.",
    ]
    static let surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
    static let middles = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh"]
    static let givens = ["An", "Bình", "Cường", "Dũng", "Hà", "Khang", "Lan", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Uyên", "Vy"]

    /// A page: 20 sentences chosen by `random`, and a name line.
    static func page(_ random: inout some RandomNumberGenerator) -> String {
        var lines = (0..<20).map { _ in sentences.randomElement(using: &random)! }
        let name = "\(surnames.randomElement(using: &random)!) \(middles.randomElement(using: &random)!) \(givens.randomElement(using: &random)!)"
        lines.insert("Họ và tên: \(name.uppercased())", at: 3)
        return lines.joined(separator: "\n")
    }

    func run() async throws {
        let store: any Store
        switch engine {
        case .sqlite:
            if count > 0 { try? FileManager.default.removeItem(atPath: target) }
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            store = try SQLiteStore(path: (target as NSString).appendingPathComponent("sohoa.sqlite"))
        case .postgresql:
            let location = try PostgresLocation(url: target)
            store = try await PostgresStore.open(location, password: try PostgresPassword.find(for: location, passwordFile: nil),
                                                 opening: .creating(id: "sohoa-bench-search"), connections: 2)
        }
        var random = SeededRandom(seed: 20261206)
        let citizens = max(1, count / 5)  // with a count of 0: the documents filed by an earlier run
        let start = Date()
        for index in 0..<count {
            var digest = [UInt8](repeating: 0, count: 32)
            withUnsafeBytes(of: UInt64(index).bigEndian) { digest.replaceSubrange(24..<32, with: $0) }
            let pages = (1...2).map { PageTextRecord(page: $0, text: Self.page(&random), confidence: 90, flag: nil) }
            let dossier = try DossierCode(String(format: "000.00.01.H26-2512%02d-%04d", index / 9999 % 28 + 1, index % 9999 + 1))
            _ = try await store.file(NewDocument(owner: try BenchCitizens.citizen(index % citizens), cases: [dossier], type: "giay-to",
                                                 title: "Tài liệu \(index)", state: .signed, kind: .assembled,
                                                 hash: ContentHash(digest: digest), size: 250_000, pages: pages),
                                     actor: "bench", action: "file")
        }
        let filing = Date().timeIntervalSince(start)
        let name = engine == .sqlite ? "SQLite" : "PostgreSQL"
        if count > 0 { print(String(format: "  %@: filed %d documents (2 pages of text each) in %.1f s", name, count, filing)) }
        for (label, text, owner) in [("a name (rare)", "nguyen minh khang", nil as OwnerID?),
                                     ("a common phrase", "giay khai sinh", nil),
                                     ("a common phrase, one citizen", "giấy khai sinh", try BenchCitizens.citizen(7))] {
            let query = try TextSearchQuery(text, owner: owner)
            var times: [Double] = []
            var found = 0, pages = 0
            for _ in 0..<20 {
                let began = DispatchTime.now().uptimeNanoseconds
                let candidates = try await store.pagesContaining(query, limit: 2001)
                let hits = SearchRanking.rank(Array(candidates.prefix(2000)), for: query)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
                (found, pages) = (hits.count, candidates.count)
            }
            times.sort()
            print(String(format: "  %@, %@ \"%@\": median %.1f ms, max %.1f ms (%d pages ranked%@, %d documents)", name, label, text,
                         times[times.count / 2], times.last ?? 0, min(pages, 2000), pages > 2000 ? ", more not looked at" : "",
                         found))
        }
    }
}

/// The C library's seeded generator (drand48's), so that both engines get the same texts.
struct SeededRandom: RandomNumberGenerator {
    init(seed: Int) { srand48(seed) }
    mutating func next() -> UInt64 {
        let high = UInt64(UInt32(truncatingIfNeeded: mrand48())), low = UInt64(UInt32(truncatingIfNeeded: mrand48()))
        return high << 32 | low
    }
}
