import Foundation
import SohoaTestSupport
import Testing

@testable import SohoaImaging

/// Mutated scans are decoded or refused with an `ImagingError`, never anything else: no crash,
/// no hang, no other error, and a decoded page's buffer always as large as its size says.
///
/// The inputs are the valid TIFF, PNG and JPEG fixtures `Tests/Fixtures/make_image_fixtures.py`
/// makes (every compression, colour type and bit depth, interlaced, tiled, multi-page, EXIF
/// orientations; 413 × 585 pixels, so that thousands of cases stay quick), made once per test
/// process. Each case draws one to three mutations from its own fixed seed
/// (`SplitMix64.forCase`): structure-aware ones (header fields, PNG chunks with their checksums
/// recomputed, JPEG segments and scan data, TIFF directory entries, links and strip data) and
/// byte-level ones. Decoding runs under limits of 4 megapixels and 64 MiB, so that a header made
/// to claim a huge page is refused the same way at a fraction of the cost.
///
/// `SOHOA_MUTATION_TRACE=1` names each case and keeps its file (for a crash);
/// `SOHOA_MUTATION_IMAGE_CASES` changes the number of cases per format and `SOHOA_MUTATION_SEED`
/// explores other cases.
@Suite struct ImageMutationTests {
    static let casesPerFormat = Int(ProcessInfo.processInfo.environment["SOHOA_MUTATION_IMAGE_CASES"] ?? "") ?? 1500
    static let trace = ProcessInfo.processInfo.environment["SOHOA_MUTATION_TRACE"] != nil
    /// Added to every run seed: 0 in the suite; another value explores other cases.
    static let seedOffset = UInt64(ProcessInfo.processInfo.environment["SOHOA_MUTATION_SEED"] ?? "") ?? 0
    static let limits = DecodeLimits(maxPixels: 4_000_000, maxDecodedBytes: 64 << 20, maxFileBytes: 16 << 20, maxPages: 64)

    struct Seeds: Sendable {
        let scratch: URL
        let files: [String: [(name: String, bytes: [UInt8])]]
    }

    static let seeds: Result<Seeds, any Error> = Result {
        let scratch = try Fixtures.makeScratch("image-mutation")
        let folder = scratch.appendingPathComponent("fixtures")
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_image_fixtures.py").path
        let made = try Run.process(Tools.python, [script, folder.path])
        guard made.status == 0 else { throw Tools.Missing(description: "the image fixtures were not made: \(made.stderr.suffix(1500))") }
        var files: [String: [(String, [UInt8])]] = [:]
        for format in ["tiff", "png", "jpeg"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(format).path).sorted()
            files[format] = try names.map { ($0, try Fixtures.read(folder.appendingPathComponent(format).appendingPathComponent($0).path)) }
        }
        return Seeds(scratch: scratch, files: files)
    }

    enum Outcome {
        case decoded(pages: Int)
        case refused(String)
        case other(String)
    }

    /// Opens, counts, describes and decodes (or prepares, for a third of the cases) up to three
    /// pages.
    static func exercise(_ path: String, prepare: Bool) -> Outcome {
        do {
            _ = try ImageReader.pageCount(path: path, limits: limits)
            let source = try ImageReader.open(path: path, limits: limits)
            let pages = min(source.pageCount, 3)
            for page in 0..<pages {
                _ = try source.describePage(page)
                let raster = prepare ? nil : try source.decodePage(page)
                if prepare { _ = try source.preparePage(page, settings: PreparationSettings()) }
                if let raster {
                    let rowBits = raster.width * raster.components * raster.bitsPerComponent
                    guard raster.width > 0, raster.height > 0, raster.bytesPerRow * 8 >= rowBits,
                          raster.pixels.count >= raster.bytesPerRow * raster.height else {
                        return .other("page \(page + 1) decoded as \(raster.width) × \(raster.height) × \(raster.components), "
                                      + "\(raster.bytesPerRow) bytes a row, \(raster.pixels.count) bytes")
                    }
                }
            }
            return .decoded(pages: pages)
        } catch let error as ImagingError {
            switch error.reason {
            case .unreadable: return .refused("unreadable")
            case .notAnImage: return .refused("notAnImage")
            case .damaged: return .refused("damaged")
            case .truncated: return .refused("truncated")
            case .excessImageData: return .refused("excessImageData")
            case .tooLarge: return .refused("tooLarge")
            case .fileTooLarge: return .refused("fileTooLarge")
            case .unsupported: return .refused("unsupported")
            case .noSuchPage: return .refused("noSuchPage")
            }
        } catch {
            return .other("\(type(of: error)): \(error)")
        }
    }

    @Test(arguments: ["tiff", "png", "jpeg"])
    func mutatedImagesAreDecodedOrRefusedWithAReason(format: String) async throws {
        let seeds = try Self.seeds.get()
        let inputs = try #require(seeds.files[format], "fixtures for \(format)")
        try #require(inputs.count >= 10)
        let runSeed = 0x1_3A6E_0000 &+ UInt64(["tiff", "png", "jpeg"].firstIndex(of: format)!) &* 7919 &+ Self.seedOffset
        let suffix = ["tiff": "tif", "png": "png", "jpeg": "jpg"][format]!
        var decoded = 0, refusals: [String: Int] = [:], operators: [String: Int] = [:]
        let started = Date()
        for index in 0..<Self.casesPerFormat {
            await Task.yield()  // long loops of blocking work: let the other suites' tasks run
            var generator = SplitMix64.forCase(index, of: runSeed)
            let input = inputs.randomElement(using: &generator)!
            let mutant = ImageMutants.mutate(input.bytes, format: format, using: &generator)
            let prepare = Int.random(in: 0..<3, using: &generator) == 0
            for step in mutant.what {
                let kind = step.replacingOccurrences(of: #"0x[0-9a-f]+|\d+|\(.*\)"#, with: "#", options: .regularExpression)
                operators[kind, default: 0] += 1
            }
            let label = "\(format)-\(index)"
            let path = try Fixtures.write(mutant.bytes, named: "\(label).\(suffix)", in: seeds.scratch)
            if Self.trace {
                FileHandle.standardError.write(Data("image case \(label): \(input.name), \(mutant.what) (\(path))\n".utf8))
            }
            let outcome = Self.exercise(path, prepare: prepare)
            if !Self.trace { try? FileManager.default.removeItem(atPath: path) }
            switch outcome {
            case .decoded: decoded += 1
            case .refused(let reason): refusals[reason, default: 0] += 1
            case .other(let problem):
                Issue.record("\(label) (run seed \(runSeed), case \(index)) from \(input.name), \(mutant.what): \(problem)")
            }
        }
        let refused = refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("mutation images \(format): \(Self.casesPerFormat) cases from \(inputs.count) fixtures: decoded \(decoded), "
              + "refused \(refusals.values.reduce(0, +)) [\(refused)] in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
              + "operators: " + operators.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}

/// What the image mutation tests found, each as its smallest reproduction, kept as a regression test.
@Suite struct ImageMutationFindings {
    /// A single-strip CCITT G4 TIFF whose StripByteCounts is 0 and whose StripOffsets points past
    /// the end of the file (or whose StripByteCounts is missing): libtiff cannot estimate the
    /// strip's size and TIFFRawStripSize64 returns (uint64)-1; `TIFFFile.passThroughG4` converts
    /// it with `Int(_:)`, which traps ("Not enough bits to represent the passed value").
    /// `preparePage`, which `sohoa assemble` and the watched inbox run on every scan, kills the
    /// process instead of refusing the file. Found with SOHOA_MUTATION_SEED=77 (case tiff-8258).
    @Test
    func aG4StripOfUnknowableSizeIsRefused() throws {
        let seeds = try ImageMutationTests.seeds.get()
        var bytes = try #require(seeds.files["tiff"]?.first { $0.name == "g4-minisblack.tif" }).bytes
        let layout = try #require(TIFFMutant.layout(bytes))
        let entries = try #require(layout.directories.first?.entries)
        let counts = try #require(entries.first { $0.tag == 279 }, "a StripByteCounts entry")
        let offsets = try #require(entries.first { $0.tag == 273 }, "a StripOffsets entry")
        TIFFMutant.write(&bytes, counts.offset + 8, 0, width: counts.type == 3 ? 2 : 4, layout.littleEndian)
        TIFFMutant.write(&bytes, offsets.offset + 8, UInt32(bytes.count + 1000), width: offsets.type == 3 ? 2 : 4, layout.littleEndian)
        let path = try Fixtures.write(bytes, named: "g4-strip-of-unknowable-size.tif", in: seeds.scratch)
        #expect(throws: ImagingError.self) { try TIFFFile(path: path).preparePage(0, settings: PreparationSettings()) }
    }
}
