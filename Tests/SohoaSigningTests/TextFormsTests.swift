import Foundation
import SohoaFiles
import SohoaPDF
import SohoaSigning
import Testing

/// The times and numbers written into signed documents and reports, written without
/// formatters: they must say exactly what Foundation's formatters say.
@Suite struct TextFormsTests {
    /// Dates from 1970 to 2400 (leap days, the ends of centuries), in UTC and in Vietnam's
    /// time, as Foundation writes them. (Before 1970 Foundation itself rounds fractions of a
    /// second either way; no signing time is that old.)
    @Test func timesAreWrittenAsFoundationWritesThem() {
        let utc = ISO8601DateFormatter()
        let vietnam = DateFormatter()
        vietnam.locale = Locale(identifier: "en_US_POSIX")
        vietnam.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        vietnam.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        var generator = SystemRandomNumberGenerator()
        var dates = [0.0, 0.999, 0.9994, 0.9996, 1_178_975_099.9996, 951_782_400, 951_868_799.5, 4_107_542_399, 13_569_465_600]
        for _ in 0..<20_000 { dates.append(Double.random(in: 0...13_569_465_600, using: &generator)) }
        for seconds in dates {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(ISO8601Text.string(date) == utc.string(from: date), "\(seconds)")
            #expect(VisibleBlock.vietnamTime(date) == vietnam.string(from: date), "\(seconds)")
        }
        #expect(ISO8601Text.string(Date(timeIntervalSince1970: 0), offsetSeconds: -(3 * 3600 + 30 * 60))
                == "1969-12-31T20:30:00-03:30")
    }

    /// Numbers: no exponent, no trailing zeros, no "-0", rounded to the decimals asked for.
    @Test func numbersAreWrittenPlainly() {
        let cases: [(Double, Int, String)] = [
            (0, 4, "0"), (-0.0, 4, "0"), (-0.00004, 4, "0"), (1, 4, "1"), (-2.5, 4, "-2.5"), (0.1, 4, "0.1"),
            (595.27559, 4, "595.2756"), (1e-7, 4, "0"), (123456789.125, 3, "123456789.125"), (0.0005, 3, "0.001"),
            (12.3456, 3, "12.346"), (7.0001, 3, "7"), (1e20, 4, "0"), (.nan, 4, "0"), (.infinity, 4, "0"),
            (-0.05, 4, "-0.05"), (42.0625, 2, "42.06"),
        ]
        for (value, decimals, text) in cases {
            #expect(PDFNumber.text(value, decimals: decimals) == text, "\(value) to \(decimals) decimals")
        }
        #expect(PDFNumber.utf16TextString("Bình 𝄞") == "<FEFF004200EC006E00680020D834DD1E>")
    }
}
