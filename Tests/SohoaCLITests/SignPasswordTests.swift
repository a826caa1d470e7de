import Foundation
import SohoaTestSupport
import Testing

/// A password typed at a terminal may be mistyped twice; one from the environment is tried once.
@Suite struct SignPasswordTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    /// Runs `sohoa arguments` on a pseudo-terminal, typing `answers` one per password prompt;
    /// returns the exit status and what the terminal showed.
    func atTerminal(_ arguments: [String], answers: [String], prompt: String = "Password for",
                    environment: [String: String]? = nil) throws -> (status: Int32, screen: String) {
        let script = """
            import os, pty, select, sys
            answers, prompt = sys.argv[2].split("\\n"), sys.argv[3].encode()
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], [sys.argv[1]] + sys.argv[4:])
            screen, typed = b"", 0
            while True:
                ready, _, _ = select.select([fd], [], [], 60)
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                screen += chunk
                if screen.count(prompt) > typed and typed < len(answers):
                    os.write(fd, answers[typed].encode() + b"\\n")
                    typed += 1
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(screen.decode(errors="replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let result = try Run.process("/usr/bin/python3", ["-c", script, sohoa, answers.joined(separator: "\n"), prompt] + arguments,
                                     environment: environment)
        return (result.status, result.stdout)
    }

    /// One unsigned PDF in a scratch folder.
    func unsigned(_ scratch: URL) throws -> String {
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg").path
        let pdf = scratch.appendingPathComponent("doc.pdf").path
        #expect(try Run.process(sohoa, ["assemble", "-o", pdf, sample]).status == 0)
        return pdf
    }

    @Test func aMistypedPasswordMayBeTypedTwiceMoreAtATerminal() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("sign-password")
        defer { Fixtures.removeScratch(scratch) }
        let pdf = try unsigned(scratch)
        let arguments = ["sign", "--p12", cert("officer.p12"), "--out", scratch.appendingPathComponent("out").path, pdf]
        let third = try atTerminal(arguments, answers: ["sai mot", "sai hai", "sohoa-test"])
        #expect(third.status == 0, "\(third.screen)")
        #expect(third.screen.contains("2 more tries") && third.screen.contains("1 more try") && third.screen.contains("1 of 1 signed"),
                "\(third.screen)")
        #expect(!third.screen.contains("sai mot") && !third.screen.contains("sohoa-test"), "typed without echo: \(third.screen)")

        let never = try atTerminal(arguments, answers: ["sai mot", "sai hai", "sai ba"])
        #expect(never.status == 1 && never.screen.contains("the password is wrong") && never.screen.contains("Nothing was signed"),
                "\(never.screen)")
        #expect(never.screen.components(separatedBy: "Password for").count == 4, "three prompts, no more: \(never.screen)")
    }

    @Test func aWrongPasswordFromTheEnvironmentFailsAtOnce() throws {
        let scratch = try Fixtures.makeScratch("sign-password-env")
        defer { Fixtures.removeScratch(scratch) }
        let pdf = try unsigned(scratch)
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out",
                                             scratch.appendingPathComponent("out").path, pdf], environment: ["P": "sai"])
        #expect(result.status == 1 && result.stderr.contains("the password is wrong") && !result.stderr.contains("more tr"),
                "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func aMistypedPINMayBeTypedAgainAtATerminal() throws {
        try CRLServer.ensureRunning()
        let module = try SoftHSMToken.prepared.get()
        let configuration = try #require(SoftHSMToken.configuration)
        let scratch = try Fixtures.makeScratch("sign-pin")
        defer { Fixtures.removeScratch(scratch) }
        let pdf = try unsigned(scratch)
        let result = try atTerminal(["sign", "--pkcs11-module", module, "--token", SoftHSMToken.label, "--key-label", "officer-ecdsa",
                                     "--chain", cert("chain.pem"), "--out", scratch.appendingPathComponent("out").path, pdf],
                                    answers: ["000000", SoftHSMToken.pin], prompt: "PIN for token",
                                    environment: ["SOFTHSM2_CONF": configuration])
        #expect(result.status == 0 && result.screen.contains("PIN is wrong; 2 more tries") && result.screen.contains("1 of 1 signed"),
                "\(result.screen)")
    }
}
