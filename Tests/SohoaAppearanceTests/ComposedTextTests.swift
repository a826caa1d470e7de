import Foundation
import Testing
@testable import SohoaAppearance

/// Text is drawn and encoded in NFC; the common case skips Foundation's pass and must give
/// exactly what that pass gives.
@Suite struct ComposedTextTests {
    @Test func everyScalarTakenAsItIsIsItsOwnNFC() {
        let ranges: [ClosedRange<UInt32>] = [0x0...0x2FF, 0x1E00...0x1EFF]
        for value in ranges.joined() {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar)) + "b"
            #expect(ComposedText.of(text).unicodeScalars.elementsEqual(text.unicodeScalars))
            #expect(text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars),
                    "U+\(String(value, radix: 16)) changes under NFC")
        }
    }

    @Test func decomposedTextIsComposed() {
        // "Nguyễn" typed with combining marks: e, circumflex, tilde.
        let decomposed = "Nguye\u{0302}\u{0303}n Thi\u{0323} La\u{0302}\u{0301}p"
        let composed = ComposedText.of(decomposed)
        #expect(composed.unicodeScalars.elementsEqual("Nguyễn Thị Lấp".unicodeScalars))
        #expect(composed.unicodeScalars.count < decomposed.unicodeScalars.count)
        // A singleton outside the ranges: the Kelvin sign becomes K.
        #expect(ComposedText.of("\u{212A}").unicodeScalars.elementsEqual("K".unicodeScalars))
    }
}
