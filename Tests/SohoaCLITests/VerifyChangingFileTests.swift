import Foundation
import SohoaTestSupport
import Synchronization
import Testing

/// A file cut short and written again while `sohoa verify` reads it (a copy still in progress,
/// a file replaced under it) is verified as it was read, or refused with a reason: the
/// verifier never dies of it. (It once mapped the file into memory, and a truncation under
/// the mapping ended it with SIGBUS.)
@Suite struct VerifyChangingFileTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    @Test func aFileTruncatedWhileItIsVerifiedNeverCrashesTheVerifier() throws {
        let scratch = try Fixtures.makeScratch("verify-changing")
        defer { Fixtures.removeScratch(scratch) }
        let pdf = scratch.appendingPathComponent("thay-doi.pdf").path
        let scan = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg").path
        let made = try Run.process(sohoa, ["assemble", "-o", pdf] + Array(repeating: scan, count: 6))
        #expect(made.status == 0, "\(made.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))

        let stop = Atomic<Bool>(false)
        let rewriter = Thread {
            let descriptor = open(pdf, O_WRONLY)
            defer { close(descriptor) }
            while !stop.load(ordering: .relaxed) {
                ftruncate(descriptor, 1000)
                _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
                usleep(1000)  // whole for a moment, so that some runs read it whole
            }
        }
        rewriter.start()
        defer { stop.store(true, ordering: .relaxed) }
        var statuses: [Int32] = []
        for _ in 0..<60 { statuses.append(try Run.process(sohoa, ["verify", pdf]).status) }
        stop.store(true, ordering: .relaxed)
        #expect(statuses.allSatisfy { (0...3).contains($0) }, "exit statuses \(statuses) (a signal number means a crash)")
        #expect(statuses.contains(2), "a run that read the file whole calls it unsigned: \(statuses)")
    }
}
