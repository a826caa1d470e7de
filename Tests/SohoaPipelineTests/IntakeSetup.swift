import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport

/// An inbox with one case folder, a store and the intake over them, in a scratch folder of
/// its own; no stability window, so only what a test checks keeps a file from being taken.
struct IntakeSetup {
    static let caseFolder = "001085012345/000.00.01.H26-251124-0001"

    let scratch: URL
    let inbox: String
    let store: SQLiteStore
    let intake: InboxIntake
    var rejected: String { scratch.appendingPathComponent("rejected").path }

    init(_ label: String) throws {
        scratch = try Fixtures.makeScratch(label)
        inbox = scratch.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: "\(inbox)/\(Self.caseFolder)", withIntermediateDirectories: true)
        store = try SQLiteStore(path: scratch.appendingPathComponent("s.sqlite").path)
        intake = InboxIntake(inbox: inbox, rejected: RejectedFolder.beside(inbox: inbox), store: store, stableFor: 0,
                             logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }
}
