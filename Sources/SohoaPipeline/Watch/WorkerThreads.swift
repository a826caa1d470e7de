import Foundation

/// Threads of the pipeline's own for its workers' tasks: decoding, assembling and database
/// writes block for a while, and on Swift's shared pool (one thread per core) they would hold
/// up every other task of the process, heartbeats included. Tasks started with this executor
/// as their preference (and their child tasks) run here instead. (Tests that wait on the
/// workers use it too, so that their waiting does not depend on the shared pool either.)
public final class WorkerThreads: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `stopping` are only touched under `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0
    private var stopping = false

    /// Starts `count` threads named `name`.
    public init(count: Int, name: String) {
        for index in 1...max(1, count) {
            let thread = Thread { [self] in loop() }
            thread.name = "\(name) \(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads end once no job is left.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while next == jobs.count && !stopping { condition.wait() }
            if next == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[next]
            next += 1
            if next > 1024 {  // drop the jobs already taken, now and then
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
