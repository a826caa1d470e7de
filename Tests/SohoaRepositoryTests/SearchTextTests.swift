import Foundation
import SohoaRepository
import Testing

/// How words are compared in a search: every Vietnamese letter folds to its base letter, words
/// are found where they stand, and what a search shows reads well.
@Suite struct SearchTextTests {
    /// Every Vietnamese vowel with each tone mark (and its hat, breve or horn), in both cases,
    /// composed and decomposed, folds to its plain Latin letter; đ and Đ to d.
    @Test func everyVietnameseLetterFoldsToItsBaseLetter() {
        let families: [(String, String)] = [
            ("aàáảãạăằắẳẵặâầấẩẫậ", "a"), ("eèéẻẽẹêềếểễệ", "e"), ("iìíỉĩị", "i"),
            ("oòóỏõọôồốổỗộơờớởỡợ", "o"), ("uùúủũụưừứửữự", "u"), ("yỳýỷỹỵ", "y"), ("dđ", "d"),
        ]
        var count = 0
        for (letters, base) in families {
            for letter in letters {
                for form in [String(letter), String(letter).uppercased()] {
                    #expect(SearchText.fold(form) == base, "\(form)")
                    #expect(SearchText.fold(form.decomposedStringWithCanonicalMapping) == base, "\(form) decomposed")
                    count += 1
                }
            }
        }
        #expect(count == 2 * (18 + 12 + 6 + 18 + 12 + 6 + 2))
        #expect(SearchText.indexed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "cong hoa xa hoi chu nghia viet nam")
        #expect(SearchText.indexed("Nguyễn Thị Lấp Lánh Ánh") == "nguyen thi lap lanh anh")
    }

    /// Letters and digits make words; everything else parts them, and words too long to be
    /// anyone's search are left out.
    @Test func wordsAreLettersAndDigits() {
        #expect(SearchText.indexed("Số: 215/2019; \"khai\" OR 1=1; -- NEAR(a b) sinh*") == "so 215 2019 khai or 1 1 near a b sinh")
        #expect(SearchText.indexed("e-mail: an@so.vn") == "e mail an so vn")
        #expect(SearchText.indexed(String(repeating: "a", count: 65) + " b") == "b")
        #expect(SearchText.indexed("  \n\t ") == "")
        let words = SearchText.words(of: "Giấy  khai\nsinh")
        #expect(words.map(\.written) == ["giấy", "khai", "sinh"] && words.map(\.folded) == ["giay", "khai", "sinh"])
    }

    /// The snippet is one line around the words, cut with "…", a form's row of dots shown as one.
    @Test func theSnippetIsOneLineAroundTheWords() throws {
        let text = (1...40).map { "w\($0)" }.joined(separator: " ") + "\nHọ, chữ đệm, tên: ............ NGUYỄN MINH KHANG\nkết thúc"
        let query = try TextSearchQuery("nguyen minh khang")
        let candidate = PageCandidate(document: DocumentID.random(), version: 2, page: 3, text: text, filed: Date())
        let hit = try #require(SearchRanking.rank([candidate], for: query).first)
        #expect(hit.page == 3 && hit.match == .phraseWithoutDiacritics)
        #expect(hit.snippet == "… w37 w38 w39 w40 Họ, chữ đệm, tên: … NGUYỄN MINH KHANG kết thúc", "\(hit.snippet)")
        #expect(hit.matched == ["NGUYỄN", "MINH", "KHANG"])
    }

    /// A page a store returned that does not hold every word is not shown.
    @Test func aPageWithoutEveryWordIsNotShown() throws {
        let query = try TextSearchQuery("giấy khai sinh")
        let candidate = PageCandidate(document: DocumentID.random(), version: 1, page: 1, text: "giấy khai", filed: Date())
        #expect(SearchRanking.rank([candidate], for: query).isEmpty)
    }
}
