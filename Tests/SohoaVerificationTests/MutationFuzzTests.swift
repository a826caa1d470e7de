import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification
import Testing

/// Never valid when it is not: mutants of signed PDFs (Sohoa's and pyHanko's; one and two
/// signatures, certified, B-LT), drawn from fixed seeds. Each is either refused as unreadable
/// or gets a report, and the report is never `valid` when a signed byte changed or something
/// the signatures do not allow was added. A crash or a hang fails the run.
///
/// Two families, each case drawn from its own generator (`SplitMix64.forCase`), so that one case
/// replays alone: byte-level mutants (bits flipped, bytes inserted, deleted, duplicated, spliced,
/// number tokens made boundary values, cuts), judged by which bytes they touch (see
/// `ByteMutant.Expectation`); and hand-written incremental updates that change what no
/// signature allows, wrapped in syntax hazards (see `StructureMutant`), never valid.
///
/// `SOHOA_MUTATION_TRACE=1` names each case and its file on standard error before it runs, and
/// keeps the files (for a crash); `SOHOA_MUTATION_KEEP=DIR` keeps every mutant wrongly called
/// valid; `SOHOA_MUTATION_BYTE_CASES` and `SOHOA_MUTATION_UPDATE_CASES` change the number of
/// cases per seed document, and `SOHOA_MUTATION_SEED` explores other cases.
@Suite struct MutationFuzzTests {
    /// Cases per seed document (seven of them), for each family.
    static let byteCases = Int(ProcessInfo.processInfo.environment["SOHOA_MUTATION_BYTE_CASES"] ?? "") ?? 300
    static let structureCases = Int(ProcessInfo.processInfo.environment["SOHOA_MUTATION_UPDATE_CASES"] ?? "") ?? 300

    /// Outcomes of one family of mutants of one seed.
    struct Tally: CustomStringConvertible {
        var cases = 0, unreadable = 0, invalid = 0, indeterminate = 0, unsigned = 0, valid = 0
        var byExpectation: [String: Int] = [:]
        /// How many cases each reason code was given in.
        var reasons: [String: Int] = [:]

        mutating func count(_ outcome: Outcome, _ expectation: String) {
            cases += 1
            if case .report(let report) = outcome {
                for code in Set(report.signatures.flatMap(\.reasonCodes) + (report.problems.isEmpty ? [] : ["damaged"])) {
                    reasons[code, default: 0] += 1
                }
            }
            byExpectation[expectation, default: 0] += 1
            switch outcome {
            case .unreadable: unreadable += 1
            case .report(let report):
                switch report.verdict {
                case .valid: valid += 1
                case .invalid: invalid += 1
                case .indeterminate: indeterminate += 1
                case .unsigned: unsigned += 1
                }
            }
        }

        var description: String {
            let kinds = byExpectation.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "\(cases) cases: unreadable \(unreadable), invalid \(invalid), indeterminate \(indeterminate), "
                + "unsigned \(unsigned), valid \(valid) [\(kinds)]; reasons "
                + reasons.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }

    enum Outcome {
        case unreadable(UnreadableInput)
        case report(FileReport)

        var verdict: Verdict? {
            if case .report(let report) = self { return report.verdict }
            return nil
        }

        var summary: String {
            switch self {
            case .unreadable(let error): return "unreadable: \(error.reason)"
            case .report(let report):
                let reasons = report.signatures.flatMap(\.reasonCodes) + report.problems.map { String($0.prefix(120)) }
                return "\(report.verdict.rawValue) \(reasons)"
            }
        }
    }

    static let trace = ProcessInfo.processInfo.environment["SOHOA_MUTATION_TRACE"] != nil
    /// A folder where every mutant called valid against the oracle is kept, with its seed.
    static let keep = ProcessInfo.processInfo.environment["SOHOA_MUTATION_KEEP"]

    static func keepIfWrong(_ outcome: Outcome, _ bytes: [UInt8], seed: MutationSeed, label: String) {
        guard outcome.verdict == .valid, let keep else { return }
        let folder = URL(fileURLWithPath: keep)
        _ = try? Fixtures.write(bytes, named: "\(label).pdf", in: folder)
        _ = try? Fixtures.write(seed.bytes, named: "\(seed.name).pdf", in: folder)
    }

    /// Writes `bytes`, verifies them offline (the revocation data is in the documents), removes the file.
    /// `label` names the file, so it must be one no other test running at the same time uses:
    /// the verifier maps the file, and a file rewritten under a mapping faults (SIGBUS).
    static func verify(_ bytes: [UInt8], label: String, in built: MutationSeeds.Built) throws -> Outcome {
        let path = try Fixtures.write(bytes, named: "\(label).pdf", in: built.scratch)
        // Traced, the file stays for replaying after a crash.
        if trace { FileHandle.standardError.write(Data("mutation case \(label): \(path)\n".utf8)) }
        defer { if !trace { try? FileManager.default.removeItem(atPath: path) } }
        do {
            return .report(try DocumentVerifier(policy: built.policy, language: .en).verify(path: path))
        } catch {
            return .unreadable(error)
        }
    }

    /// Added to every run seed: 0 in the suite; another value explores other cases.
    static let seedOffset = UInt64(ProcessInfo.processInfo.environment["SOHOA_MUTATION_SEED"] ?? "") ?? 0

    /// A fixed seed per document and family, so that every case replays.
    static func runSeed(_ name: String, family: UInt64) -> UInt64 {
        family &+ UInt64(MutationSeeds.names.firstIndex(of: name) ?? 99) &* 1_000_003 &+ seedOffset
    }

    @Test(arguments: MutationSeeds.names)
    func byteMutantsOfSignedBytesAreNeverValid(seed name: String) async throws {
        let (seed, built) = try MutationSeeds.seed(name)
        let baseline = try Self.verify(seed.bytes, label: "\(name)-bytes-baseline", in: built)
        try #require(baseline.verdict == .valid, "the unmutated \(name) is valid: \(baseline.summary)")
        let map = ByteMutant.Map(seed)
        let donorName = MutationSeeds.names[(MutationSeeds.names.firstIndex(of: name)! + 1) % MutationSeeds.names.count]
        let donor = try MutationSeeds.seed(donorName).0.bytes
        let runSeed = Self.runSeed(name, family: 0x00B7_7E5E_ED00)
        var tally = Tally()
        let started = Date()
        for index in 0..<Self.byteCases {
            await Task.yield()  // long loops of blocking work: let the other suites' tasks run
            var generator = SplitMix64.forCase(index, of: runSeed)
            let mutant = ByteMutant.make(seed, map: map, donor: donor, using: &generator)
            let label = "\(name)-byte-\(index)"
            if Self.trace { FileHandle.standardError.write(Data("  \(mutant.what)\n".utf8)) }
            let outcome = try Self.verify(mutant.bytes, label: label, in: built)
            tally.count(outcome, mutant.expectation.rawValue)
            if mutant.expectation == .notValid {
                Self.keepIfWrong(outcome, mutant.bytes, seed: seed, label: label)
                #expect(outcome.verdict != .valid,
                        "\(label) (run seed \(runSeed), case \(index)): \(mutant.what) — called valid: \(outcome.summary)")
            }
        }
        print("mutation bytes \(name): \(tally) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    @Test(arguments: MutationSeeds.names)
    func appendedUpdatesNoSignatureAllowsAreNeverValid(seed name: String) async throws {
        let (seed, built) = try MutationSeeds.seed(name)
        let baseline = try Self.verify(seed.bytes, label: "\(name)-updates-baseline", in: built)
        try #require(baseline.verdict == .valid, "the unmutated \(name) is valid: \(baseline.summary)")
        let runSeed = Self.runSeed(name, family: 0x0057_2C7E_ED00)
        var tally = Tally()
        var byHazard: [String: Int] = [:]
        let started = Date()
        for index in 0..<Self.structureCases {
            await Task.yield()
            var generator = SplitMix64.forCase(index, of: runSeed)
            let mutant = StructureMutant.make(seed, using: &generator)
            let label = "\(name)-update-\(index)"
            if Self.trace { FileHandle.standardError.write(Data("  \(mutant.what)\n".utf8)) }
            let outcome = try Self.verify(mutant.bytes, label: label, in: built)
            tally.count(outcome, mutant.change.rawValue)
            for hazard in mutant.hazards { byHazard[String(hazard.prefix { $0 != "(" }), default: 0] += 1 }
            Self.keepIfWrong(outcome, mutant.bytes, seed: seed, label: label)
            #expect(outcome.verdict != .valid,
                    "\(label) (run seed \(runSeed), case \(index)): \(mutant.what) — called valid: \(outcome.summary)")
        }
        let hazards = byHazard.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("mutation updates \(name): \(tally) hazards [\(hazards)] in "
              + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

/// What the mutation tests found, each as its smallest reproduction, kept as regression tests
/// (the mutants above draw the same cases at random, and must not find them valid either).
@Suite struct MutationFindings {
    /// The ways an update's cross-reference data lists the object it changes that the tests
    /// found to hide the change from the verifier.
    enum AmbiguousEntry: String, CaseIterable, Sendable {
        /// The changed page listed with generation 1 (written `N 0 obj`, referenced `N 0 R`), in a
        /// classic table: qpdf resolves `N 0 R` from the signed revision; poppler finds no
        /// entry for it, rebuilds the table and shows the changed page.
        case otherGenerationInATable
        /// The same in a cross-reference stream: poppler reads the page as null.
        case otherGenerationInAStream
        /// The changed page listed as free, then again at its signed offset: qpdf takes the
        /// signed page; poppler takes the free entry, rebuilds the table and shows the change.
        case freeThenSigned
        /// The changed page listed twice, its signed offset first: qpdf and poppler take the
        /// first entry (the signed page); the changed definition in the update is what a
        /// reader that rebuilds the table shows.
        case signedOffsetFirst
    }

    @Test(arguments: AmbiguousEntry.allCases)
    func anAmbiguousEntryForAChangedPageIsNotValid(entry: AmbiguousEntry) throws {
        let (seed, built) = try MutationSeeds.seed("sohoa-b-b")
        var update = Update(seed)
        update.apply(.redefinePage)
        switch entry {
        case .otherGenerationInATable, .otherGenerationInAStream:
            update.entryOverrides[update.primary] = .generation(1)
            update.form = entry == .otherGenerationInATable ? .table : .stream
        case .freeThenSigned:
            update.entryOverrides[update.primary] = .free
            update.broken = .duplicatedEntry
        case .signedOffsetFirst:
            update.broken = .duplicatedEntrySignedFirst
        }
        let bytes = update.serialize()
        let outcome = try MutationFuzzTests.verify(bytes, label: "ambiguous-\(entry.rawValue)", in: built)
        #expect(outcome.verdict == .invalid, "\(outcome.summary)")
        if entry == .otherGenerationInATable || entry == .freeThenSigned {
            let path = try Fixtures.write(bytes, named: "ambiguous-\(entry.rawValue).pdf", in: built.scratch)
            let poppler = try Tools.run("pdfinfo", ["-f", "1", "-l", "1", path]).stdout
            #expect(poppler.contains("rot:   90"), "poppler shows the rotated page: \(poppler)")
        }
    }

    /// An update that redefines the XMP metadata stream with one byte 0xFF in a comment (or a
    /// processing instruction's target, or an attribute's name): comparing the packets, the
    /// verifier hands them to Foundation's XMLParser, which traps on the invalid UTF-8. The
    /// process dies (SIGILL): `sohoa verify`, and anything verifying in-process.
    @Test(arguments: [StructureMutant.XMPVariant.invalidUTF8InComment, .invalidUTF8InProcessingInstruction,
                      .invalidUTF8InAttributeName])
    func invalidUTF8InAChangedXMPPacketIsRefusedWithoutCrashing(variant: StructureMutant.XMPVariant) throws {
        let (seed, built) = try MutationSeeds.seed("sohoa-b-b")
        var update = Update(seed)
        update.apply(.rewriteMetadata, xmp: variant)
        let outcome = try MutationFuzzTests.verify(update.serialize(), label: "xmp-\(variant.rawValue)", in: built)
        #expect(outcome.verdict == .invalid, "\(outcome.summary)")
    }
}
