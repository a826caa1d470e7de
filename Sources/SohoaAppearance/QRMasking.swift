/// The eight data masks of ISO/IEC 18004 (7.8.2) and the choice between them (7.8.3), done on
/// rows of bits.
///
/// libqrencode tries each mask by writing the whole symbol out again and walking it module by
/// module: about 0.45 ms for the version-12 code of a filed document, more than the rest of
/// the signature's appearance. Here the symbol is encoded once, with mask 0; its data modules
/// are unmasked; and each mask's symbol is that unmasked one XOR a pattern that depends only on
/// the size and the error-correction level (made once and kept). The penalty rules are read as
/// libqrencode reads them, so the symbol chosen is the one it would choose, bit for bit.
struct QRMasking: Sendable {
    /// Modules per side.
    let width: Int
    /// 64-bit words per row or column.
    let words: Int
    /// For each mask in turn: its rows, then its columns, `words` each. A set bit is a module
    /// the mask turns over: a data module where the mask's condition holds, or a format
    /// information module that is dark for this mask at this level.
    private let flips: [UInt64]

    private static let cache = BoundedCache<Key, QRMasking>(capacity: 16)

    private struct Key: Hashable, Sendable {
        let width: Int
        let level: QRSymbol.ErrorCorrection
    }

    /// The masks for a symbol `width` modules wide at `level`, whose function modules (the
    /// ones no mask touches) are those `isFunction` says.
    static func masks(width: Int, level: QRSymbol.ErrorCorrection,
                      isFunction: (Int, Int) -> Bool) throws(AppearanceError) -> QRMasking {
        // The value depends on the key only: function modules are fixed by the version.
        try cache.value(for: Key(width: width, level: level)) { () throws(AppearanceError) in
            QRMasking(width: width, level: level, isFunction: isFunction)
        }
    }

    private init(width: Int, level: QRSymbol.ErrorCorrection, isFunction: (Int, Int) -> Bool) {
        self.width = width
        words = (width + 63) >> 6
        var flips = [UInt64](repeating: 0, count: 8 * 2 * width * words)
        for mask in 0..<8 {
            var turned = [Bool](repeating: false, count: width * width)
            for row in 0..<width {
                for column in 0..<width where !isFunction(row, column) {
                    turned[row * width + column] = QRMasking.condition(mask, row: row, column: column)
                }
            }
            let format = QRMasking.formatInformation(level: level, mask: mask)
            for (bit, positions) in QRMasking.formatPositions(width: width).enumerated() where format >> bit & 1 == 1 {
                for (row, column) in [positions.0, positions.1] { turned[row * width + column] = true }
            }
            let base = mask * 2 * width * words
            for row in 0..<width {
                for column in 0..<width where turned[row * width + column] {
                    flips[base + row * words + column >> 6] |= 1 << UInt64(column & 63)
                    flips[base + (width + column) * words + row >> 6] |= 1 << UInt64(row & 63)
                }
            }
        }
        self.flips = flips
    }

    /// Whether mask `mask` turns over the data module at `row`, `column` (ISO/IEC 18004, table 10).
    private static func condition(_ mask: Int, row i: Int, column j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }

    /// The 15 bits of format information for `level` and `mask`: the level and mask, a BCH(15,5)
    /// code over them, and the fixed XOR pattern 101010000010010 (ISO/IEC 18004, 7.9).
    static func formatInformation(level: QRSymbol.ErrorCorrection, mask: Int) -> Int {
        let levelBits = switch level {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
        let data = levelBits << 3 | mask
        var remainder = data << 10
        for bit in stride(from: 14, through: 10, by: -1) where remainder >> bit & 1 == 1 {
            remainder ^= 0b101_0011_0111 << (bit - 10)
        }
        return (data << 10 | remainder) ^ 0b101_0100_0001_0010
    }

    /// Where each format information bit goes, least significant first: its copy beside the
    /// top-left finder and its copy split between the other two (row, column).
    static func formatPositions(width: Int) -> [((Int, Int), (Int, Int))] {
        (0..<15).map { bit in
            if bit < 8 { return ((bit < 6 ? bit : bit + 1, 8), (8, width - 1 - bit)) }
            let index = bit - 8
            return ((8, index == 0 ? 7 : 6 - index), (width - 7 + index, 8))
        }
    }

    /// The unmasked symbol, rows then columns as the flips are, from libqrencode's modules
    /// encoded with mask 0 (bit 0 of each byte: dark): turning over what mask 0 turned over
    /// restores the data modules and leaves the format information light.
    func unmasked(fromMask0 modules: UnsafePointer<UInt8>) -> [UInt64] {
        let lineWords = width * words
        return [UInt64](unsafeUninitializedCapacity: 2 * lineWords) { lines, count in
            for index in 0..<2 * lineWords { lines[index] = flips[index] }
            for row in 0..<width {
                for column in 0..<width where modules[row * width + column] & 1 == 1 {
                    lines[row * words + column >> 6] ^= 1 << UInt64(column & 63)
                    lines[lineWords + column * words + row >> 6] ^= 1 << UInt64(row & 63)
                }
            }
            count = 2 * lineWords
        }
    }

    /// The rows of the masked symbol with the lowest penalty (the first of equals) for
    /// `unmasked`: its rows then its columns, as the flips are, format information light.
    func bestRows(unmasked: [UInt64]) -> [UInt64] {
        let lineWords = width * words
        var masked = [UInt64](repeating: 0, count: 2 * lineWords)
        var bestPenalty = Int.max
        var bestRows: [UInt64] = []
        var runs = [Int](repeating: 0, count: width + 2)
        for mask in 0..<8 {
            let base = mask * 2 * lineWords
            for index in 0..<2 * lineWords { masked[index] = unmasked[index] ^ flips[base + index] }
            let penalty = masked.withUnsafeBufferPointer { lines in
                runs.withUnsafeMutableBufferPointer { runs in score(lines, runs: runs) }
            }
            if penalty < bestPenalty {
                bestPenalty = penalty
                bestRows = Array(masked[0..<lineWords])
            }
        }
        return bestRows
    }

    /// The penalty of a masked symbol (ISO/IEC 18004, 7.8.3.1): runs of five or more modules of
    /// one colour (N1), 2×2 blocks of one colour (N2), the finder-like 1:1:3:1:1 pattern beside
    /// four light modules or the edge (N3, at any scale), and the dark share's distance from
    /// half (N4).
    private func score(_ lines: UnsafeBufferPointer<UInt64>, runs: UnsafeMutableBufferPointer<Int>) -> Int {
        var penalty = 0
        var dark = 0
        let lastBits = width & 63 == 0 ? ~UInt64(0) : (1 << UInt64(width & 63)) - 1
        // N2 and N4 over the rows.
        for row in 0..<width {
            let line = row * words
            for word in 0..<words { dark += lines[line + word].nonzeroBitCount }
            guard row > 0 else { continue }
            for word in 0..<words {
                let above = lines[line - words + word], here = lines[line + word]
                let nextAbove = word + 1 < words ? lines[line - words + word + 1] << 63 : 0
                let nextHere = word + 1 < words ? lines[line + word + 1] << 63 : 0
                let aboveRight = above >> 1 | nextAbove, hereRight = here >> 1 | nextHere
                var sameBlock = ~(above ^ here) & ~(above ^ aboveRight) & ~(here ^ hereRight)
                if word == words - 1 { sameBlock &= lastBits >> 1 }
                penalty += 3 * sameBlock.nonzeroBitCount
            }
        }
        // N1 and N3 along every row and column.
        for line in 0..<2 * width {
            penalty += linePenalty(lines, from: line * words, lastBits: lastBits, runs: runs)
        }
        let squares = width * width
        let darkPercent = (200 * dark + squares) / squares / 2
        return penalty + abs(darkPercent - 50) / 5 * 10
    }

    /// N1 and N3 along one line, a word at a time: bit j of `bits(k)` is module j + k, light
    /// outside the line, which is how the edge counts for N3.
    ///
    /// N1: each run of five or more costs its length - 2, that is one per place where five
    /// equal modules start, and two more per run. N3 at scale 1 (dark, light, 3 dark, light,
    /// dark, with no more dark at either end) costs 40 where four light modules or the edge lie
    /// on either side. N3 at larger scales needs a dark run of six or more with two light
    /// modules before and after it; only a line that has both is walked run by run.
    private func linePenalty(_ lines: UnsafeBufferPointer<UInt64>, from start: Int, lastBits: UInt64,
                             runs: UnsafeMutableBufferPointer<Int>) -> Int {
        var penalty = 0
        var opensLongDark = false, closesLongDark = false
        for word in 0..<words {
            func bits(_ shift: Int) -> UInt64 {
                if shift >= 0 {
                    let low = lines[start + word] >> UInt64(shift)
                    guard shift > 0, word + 1 < words else { return low }
                    return low | lines[start + word + 1] << UInt64(64 - shift)
                }
                let high = lines[start + word] << UInt64(-shift)
                return word > 0 ? high | lines[start + word - 1] >> UInt64(64 + shift) : high
            }
            let before4 = bits(-4), before3 = bits(-3), before2 = bits(-2), before1 = bits(-1)
            let b0 = bits(0), b1 = bits(1), b2 = bits(2), b3 = bits(3), b4 = bits(4), b5 = bits(5)
            let b6 = bits(6), b7 = bits(7), b8 = bits(8), b9 = bits(9), b10 = bits(10)
            // Places j where the modules j to j + 4 lie in the line and are of one colour.
            let modulesFromHere = word == words - 1 ? lastBits : ~UInt64(0)
            let fiveFit = modulesFromHere >> 4 | (word + 1 < words ? (word + 2 < words ? ~UInt64(0) : lastBits << 60) : 0)
            let equalNext0 = ~(b0 ^ b1), equalNext1 = ~(b1 ^ b2), equalNext2 = ~(b2 ^ b3), equalNext3 = ~(b3 ^ b4)
            let five = equalNext0 & equalNext1 & equalNext2 & equalNext3 & fiveFit
            // A run of five starts where the five before it (from j - 1) were not of one colour.
            var fiveBefore = ~(before1 ^ b0) & equalNext0 & equalNext1 & equalNext2
            if word == 0 { fiveBefore &= ~1 }
            penalty += five.nonzeroBitCount + 2 * (five & ~fiveBefore).nonzeroBitCount
            let light4Before = ~(before4 | before3 | before2 | before1)
            let light4After = ~(b7 | b8 | b9 | b10)
            let finder = ~before1 & b0 & ~b1 & b2 & b3 & b4 & ~b5 & b6 & ~b7 & (light4Before | light4After)
            penalty += 40 * finder.nonzeroBitCount
            let sixDark = b2 & b3 & b4 & b5 & b6 & b7
            opensLongDark = opensLongDark || ~b0 & ~b1 & sixDark != 0
            closesLongDark = closesLongDark || b0 & b1 & b2 & b3 & b4 & b5 & ~b6 & ~b7 != 0
        }
        if opensLongDark && closesLongDark { penalty += largerFinderPenalty(lines, from: start, lastBits: lastBits, runs: runs) }
        return penalty
    }

    /// N3 at scales 2 and up along one line, walked run by run. Runs alternate light and
    /// dark, a light one first (of length -1 when the line starts dark).
    private func largerFinderPenalty(_ lines: UnsafeBufferPointer<UInt64>, from start: Int, lastBits: UInt64,
                                     runs: UnsafeMutableBufferPointer<Int>) -> Int {
        var count = 0
        var carry = lines[start] & 1
        if carry == 1 {
            runs[0] = -1
            count = 1
        }
        var runStart = 0
        for word in 0..<words {
            let bits = lines[start + word]
            var changes = bits ^ (bits << 1 | carry)
            carry = bits >> 63
            if word == words - 1 { changes &= lastBits }
            while changes != 0 {
                let position = word << 6 + changes.trailingZeroBitCount
                runs[count] = position - runStart
                count += 1
                runStart = position
                changes &= changes - 1
            }
        }
        runs[count] = width - runStart
        count += 1
        var penalty = 0
        for index in stride(from: 3, to: count - 2, by: 2) {
            let run = runs[index]
            guard run >= 6, run % 3 == 0 else { continue }
            let unit = run / 3
            guard runs[index - 2] == unit, runs[index - 1] == unit, runs[index + 1] == unit, runs[index + 2] == unit else { continue }
            if index == 3 || runs[index - 3] >= 4 * unit || index + 4 >= count || runs[index + 3] >= 4 * unit {
                penalty += 40
            }
        }
        return penalty
    }
}
