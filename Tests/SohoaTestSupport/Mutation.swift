import Foundation

/// SplitMix64: a small deterministic generator, so that a mutation test replays from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for case `index` of a run seeded with `seed`: every case can be replayed alone.
    public static func forCase(_ index: Int, of seed: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
        return SplitMix64(seed: mixer.next())
    }
}

/// Byte-level mutation operators shared by the mutation tests (PDF, images, time-stamp
/// requests). Each returns the mutated bytes and a one-line description of what it did, so
/// that a failure can be reproduced by hand.
public enum ByteMutation: String, CaseIterable, Sendable {
    case flipBit, setByte, insert, delete, duplicate, splice, interestingValue, truncate

    /// Integers at the edges of the sizes binary formats store (8, 16, 32 bits).
    public static let interestingIntegers: [UInt32] = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
                                                       0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]

    /// Applies the operator at `offset` (0..<bytes.count; `truncate` cuts there). `donor`
    /// provides the chunks `splice` copies (often the input itself).
    public func apply(to bytes: [UInt8], at offset: Int, donor: [UInt8], using generator: inout SplitMix64)
        -> (bytes: [UInt8], what: String) {
        var out = bytes
        let at = min(max(0, offset), max(0, bytes.count - 1))
        switch self {
        case .flipBit:
            guard !out.isEmpty else { return (out, "flip nothing") }
            let bit = Int.random(in: 0..<8, using: &generator)
            out[at] ^= UInt8(1 << bit)
            return (out, "flip bit \(bit) of byte \(at)")
        case .setByte:
            guard !out.isEmpty else { return (out, "set nothing") }
            let old = out[at]
            out[at] = old &+ UInt8.random(in: 1...255, using: &generator)
            return (out, "byte \(at) 0x\(String(old, radix: 16)) -> 0x\(String(out[at], radix: 16))")
        case .insert:
            let count = [1, 1, 2, 4, 16, 64].randomElement(using: &generator)!
            let inserted = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            out.insert(contentsOf: inserted, at: min(offset, out.count))
            return (out, "insert \(count) random bytes at \(min(offset, bytes.count))")
        case .delete:
            let count = min([1, 1, 2, 7, 64, 512].randomElement(using: &generator)!, out.count - at)
            out.removeSubrange(at..<(at + count))
            return (out, "delete \(count) bytes at \(at)")
        case .duplicate:
            let count = min([1, 4, 32, 256, 2048].randomElement(using: &generator)!, out.count - at)
            out.insert(contentsOf: bytes[at..<(at + count)], at: at + count)
            return (out, "duplicate \(count) bytes at \(at)")
        case .splice:
            guard !donor.isEmpty else { return (out, "splice nothing") }
            let count = min([4, 16, 128, 1024].randomElement(using: &generator)!, donor.count)
            let from = Int.random(in: 0...(donor.count - count), using: &generator)
            let chunk = donor[from..<(from + count)]
            if Bool.random(using: &generator) {
                out.insert(contentsOf: chunk, at: at)
                return (out, "splice \(count) bytes from \(from) inserted at \(at)")
            }
            let end = min(out.count, at + count)
            out.replaceSubrange(at..<end, with: chunk.prefix(end - at))
            return (out, "splice \(end - at) bytes from \(from) over \(at)")
        case .interestingValue:
            guard !out.isEmpty else { return (out, "set nothing") }
            let value = Self.interestingIntegers.randomElement(using: &generator)!
            let width = min([1, 2, 4].randomElement(using: &generator)!, out.count - at)
            let bigEndian = Bool.random(using: &generator)
            for index in 0..<width {
                let shift = bigEndian ? 8 * (width - 1 - index) : 8 * index
                out[at + index] = UInt8(truncatingIfNeeded: value >> UInt32(shift))
            }
            return (out, "\(width)-byte \(bigEndian ? "big" : "little")-endian 0x\(String(value, radix: 16)) at \(at)")
        case .truncate:
            out.removeSubrange(min(offset, out.count)...)
            return (out, "truncate to \(out.count) bytes")
        }
    }
}

extension Array where Element == UInt8 {
    /// Offsets of every occurrence of `needle`.
    public func offsets(of needle: String) -> [Int] {
        offsets(of: Array(needle.utf8))
    }

    public func offsets(of needle: [UInt8]) -> [Int] {
        guard let first = needle.first, count >= needle.count else { return [] }
        var found: [Int] = []
        var index = 0
        let last = count - needle.count
        while index <= last {
            if self[index] == first, self[index..<(index + needle.count)].elementsEqual(needle) {
                found.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}
