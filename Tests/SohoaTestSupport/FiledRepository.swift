import Foundation
import Testing

/// A repository filled the way operators fill one: documents generated as an inbox drop
/// (`Tests/Fixtures/make_drop.py`, 2 pages each) and filed by a real `sohoa watch`.
public enum FiledRepository {
    /// Makes `scratch/<folder>` a repository holding `count` documents filed by `sohoa watch`
    /// from `scratch/inbox` (a folder `repo init` made already is filled as it is; `environment`
    /// is added to the commands', a database password for one); returns its path.
    public static func make(sohoa: String, in scratch: URL, folder: String = "data", count: Int,
                            environment: [String: String]? = nil) throws -> String {
        let inbox = scratch.appendingPathComponent("inbox").path
        let data = scratch.appendingPathComponent(folder).path
        let made = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path,
                                                inbox, "\(count)", "--pages", "2"])
        #expect(made.status == 0, "\(made.stderr)")
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", inbox, "--data", data, "--stable-seconds", "0"],
                                  log: scratch.appendingPathComponent("watch.log").path, environment: environment)
        let filed = try Eventually.holds(within: 60) {
            let status = try Run.process(sohoa, ["status", "--data", data, "--json"], environment: environment)
            let object = try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            return (object?["intake"] as? [String: Int])?["filed"] == count
        }
        #expect(filed, "\(watcher.output)")
        #expect(watcher.stop() == 0)
        return data
    }
}
