import Foundation
import SohoaTestSupport
import Testing

/// `sohoa sign` draws its role's block on page 1 as the rules ask: the officer's top left, the
/// approver's top right, on blank paper only, in an embedded Liberation Serif subset whose
/// letters come back exactly; the result stays valid here, in pyHanko and in pdfsig. What
/// cannot be drawn (a bad seal, a page without blank room) signs nothing.
@Suite(.serialized) final class SignVisibleTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]
    let agency = "Ủy ban nhân dân phường Bến Thành"

    init() throws {
        try CRLServer.ensureRunning()
        scratch = try Fixtures.makeScratch("sign-visible")
    }

    deinit { Fixtures.removeScratch(scratch) }

    func assembled(_ sample: String = "001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif") throws -> String {
        let output = scratch.appendingPathComponent("unsigned/doc.pdf").path
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let result = try Run.process(sohoa, ["assemble", "-o", output, Fixtures.samples.appendingPathComponent(sample).path])
        #expect(result.status == 0, "\(result.stderr)")
        return output
    }

    /// Signs `input` into `folder`; returns the run and the signed copy's path.
    func sign(_ input: String, into folder: String, _ arguments: [String]) throws
        -> (status: Int32, json: [String: Any], stderr: String, output: String) {
        let out = scratch.appendingPathComponent(folder).path
        let result = try Run.process(sohoa, ["sign", "--password-env", "P", "--json", "--out", out] + arguments + [input],
                                     environment: password)
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        return (result.status, json, result.stderr, (out as NSString).appendingPathComponent((input as NSString).lastPathComponent))
    }

    static func appearance(_ json: [String: Any]) -> (rect: [Double], rule: String)? {
        guard let file = (json["files"] as? [[String: Any]])?.first, let appearance = file["appearance"] as? [String: Any],
              let rect = appearance["rect"] as? [Double], let rule = appearance["rule"] as? String else { return nil }
        return (rect, rule)
    }

    @Test func theOfficersAndTheApproversBlocksSitInTheirCornersOnBlankPaperAndVerify() throws {
        let unsigned = try assembled()
        let officer = try sign(unsigned, into: "officer", ["--p12", cert("officer.p12")])
        #expect(officer.status == 0, "\(officer.stderr)")
        let approver = try sign(officer.output, into: "approver", ["--p12", cert("approver.p12"), "--role", "approver",
                                                                   "--agency", agency])
        #expect(approver.status == 0, "\(approver.stderr)")
        let left = try #require(Self.appearance(officer.json), "the report says where the block went: \(officer.json)")
        let right = try #require(Self.appearance(approver.json))
        #expect(left.rule.hasPrefix("top-left of page 1, on blank paper"), "\(left.rule)")
        #expect(right.rule.hasPrefix("top-right of page 1, on blank paper"), "\(right.rule)")
        #expect(left.rect[2] < 297.5 && right.rect[0] > 297.5, "one block in each half: \(left.rect) \(right.rect)")
        #expect(left.rect[3] > 842 * 0.75 && right.rect[3] > 842 * 0.75, "both in the top quarter")

        // Rendered: ink appears only inside the two blocks, and each block has ink.
        let dpi = 50
        let before = try Tools.render(unsigned, page: 1, dpi: dpi)
        let after = try Tools.render(approver.output, page: 1, dpi: dpi)
        #expect(before.width == after.width && before.height == after.height)
        let scale = Double(dpi) / 72
        func inside(_ x: Int, _ y: Int, _ rect: [Double]) -> Bool {
            let px = Double(x) / scale, py = 842 - Double(y) / scale
            return px >= rect[0] - 2 && px <= rect[2] + 2 && py >= rect[1] - 2 && py <= rect[3] + 2
        }
        var strayInk = 0, leftInk = 0, rightInk = 0
        for y in 0..<after.height {
            for x in 0..<after.width where before.pixels[y * before.width + x] >= 200 && after.pixels[y * after.width + x] < 170 {
                if inside(x, y, left.rect) { leftInk += 1 } else if inside(x, y, right.rect) { rightInk += 1 } else { strayInk += 1 }
            }
        }
        #expect(strayInk == 0, "nothing is drawn outside the blocks")
        #expect(leftInk > 40 && rightInk > 40, "both blocks show: \(leftInk) and \(rightInk) new dark pixels")

        // The letters come back exactly, from an embedded subset with a ToUnicode map.
        let text = try Tools.run("pdftotext", ["-l", "1", approver.output, "-"]).stdout
        for expected in ["Người ký: TEST ONLY Nguyễn Văn An (officer)", "Cán bộ số hóa", agency, "TEST ONLY Trần Thị Bình",
                         "Thời gian ký: 20"] {
            #expect(text.contains(expected), "pdftotext gives “\(expected)” back: \(text.prefix(400))")
        }
        let fonts = try Tools.run("pdffonts", [approver.output]).stdout
        let rows = fonts.split(separator: "\n").filter { $0.contains("LiberationSerif") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("yes yes yes") }, "embedded, subset, ToUnicode: \(fonts)")

        // Valid here (the approver's appearance named as such), in pdfsig and in pyHanko.
        let verify = try Run.process(sohoa, ["verify", "--json", "--trust", cert("root-ca.pem"), approver.output])
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        let signatures = (report["files"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]] ?? []
        #expect(signatures.count == 2)
        let rules = signatures.flatMap { ($0["modificationsAfter"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
        #expect(rules.contains("visible-signature"), "\(rules)")
        let pdfsig = try Tools.run("pdfsig", [approver.output]).stdout
        #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3, "\(pdfsig)")
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        let pyhanko = try Run.process(Tools.python, [script, approver.output, cert("root-ca.pem")])
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(pyhanko.stdout.utf8)) as? [[String: Any]])
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0["bottomLine"] as? Bool == true }, "\(verdicts)")
        #expect(try Tools.run("qpdf", ["--check", approver.output]).status == 0)
    }

    /// Signing what waits in the repository: the officer's signature also draws the QR code at
    /// the page's foot, read back from a 200-dpi rendering with every field; the approval that
    /// follows keeps both valid here, in pdfsig and in pyHanko.
    @Test func signingWhatWaitsDrawsTheQRCodeAtThePagesFootWithEveryField() throws {
        let unsigned = try assembled()
        let data = scratch.appendingPathComponent("data").path
        let title = "Đơn đề nghị cấp Giấy xác nhận tình trạng hôn nhân"
        let imported = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "001085012345", "--case",
                                               "000.00.01.H26-251124-0001", "--procedure", "1.001193", "--title", title, unsigned])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "https://tracuu.example.vn/so-hoa"
        let officer = try Run.process(sohoa, ["sign", "--pending", "--data", data, "--all", "--p12", cert("officer.p12"),
                                              "--password-env", "P", "--json", "--check-url-base", base], environment: password)
        #expect(officer.status == 0, "\(officer.stdout) \(officer.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(officer.stdout.utf8)) as? [String: Any])
        let entry = try #require((report["files"] as? [[String: Any]])?.first)
        let qrCode = try #require(entry["qrCode"] as? [String: Any], "the report says where the QR code went: \(entry)")
        #expect((qrCode["rule"] as? String)?.hasPrefix("bottom-right of page 1, on blank paper") == true, "\(qrCode)")
        let approver = try Run.process(sohoa, ["sign", "--pending", "--data", data, "--all", "--role", "approver",
                                               "--p12", cert("approver.p12"), "--password-env", "P"], environment: password)
        #expect(approver.status == 0, "\(approver.stdout) \(approver.stderr)")

        let approved = scratch.appendingPathComponent("approved.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "-o", approved]).status == 0)
        let shown = try Run.process(sohoa, ["repo", "show", "--data", data, "--json", id])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let code = try #require(document["publicCode"] as? String)

        let lines = try PageQRCode.lines(of: approved, renderingInto: scratch.appendingPathComponent("render").path)
        let signingTime = try #require(entry["signingTime"] as? String)
        let formatter = ISO8601DateFormatter()
        let time = try #require(formatter.date(from: signingTime))
        let local = ISO8601DateFormatter()
        local.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        #expect(lines == ["Mã hồ sơ: 000.00.01.H26-251124-0001",
                          "Mã TTHC: 1.001193",
                          "Số định danh: 001******345",
                          "Tên giấy tờ: \(title)",
                          "Hệ thống: Sohoa",
                          "Thời gian: \(local.string(from: time))",
                          "Tra cứu: \(base)/v/\(code)"], "zbarimg read: \(lines)")

        let verify = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), approved])
        #expect(verify.status == 0, "\(verify.stdout)")
        let pdfsig = try Tools.run("pdfsig", [approved]).stdout
        #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3, "\(pdfsig)")
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        let pyhanko = try Run.process(Tools.python, [script, approved, cert("root-ca.pem")])
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(pyhanko.stdout.utf8)) as? [[String: Any]])
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0["bottomLine"] as? Bool == true }, "\(verdicts)")
    }

    /// A page whose top is ink from edge to edge: no blank place for a block.
    func pageWithoutRoom() throws -> String {
        let content = "0 g 0 600 595 242 re f"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
        ]
        var pdf = "%PDF-1.7\n", offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 5\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        pdf += "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return try Fixtures.write(Array(pdf.utf8), named: "dark-top.pdf", in: scratch)
    }

    @Test func aPageWithoutBlankRoomIsNotSignedUnlessInvisible() throws {
        let input = try pageWithoutRoom()
        let refused = try sign(input, into: "no-room", ["--p12", cert("officer.p12")])
        #expect(refused.status != 0)
        let file = (refused.json["files"] as? [[String: Any]])?.first
        #expect(file?["outcome"] as? String == "failed")
        let reason = file?["reason"] as? String ?? ""
        #expect(reason.contains("page 1 has no blank place") && reason.contains("--invisible"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: refused.output), "nothing was signed")
        let invisible = try sign(input, into: "invisible", ["--p12", cert("officer.p12"), "--invisible"])
        #expect(invisible.status == 0, "\(invisible.stderr)")
        #expect(Self.appearance(invisible.json) == nil, "an invisible signature has no appearance in the report")
    }

    /// A red ring seal with a transparent middle, as a scanned agency seal is (RGBA PNG).
    func sealPNG() throws -> String {
        let path = scratch.appendingPathComponent("seal.png").path
        let script = """
            import struct, sys, zlib
            side = 120
            rows = []
            for y in range(side):
                row = bytearray([0])
                for x in range(side):
                    d = ((x - 60) ** 2 + (y - 60) ** 2) ** 0.5
                    row += bytes([200, 20, 20, 255]) if 44 <= d <= 58 else bytes([255, 255, 255, 0])
                rows.append(bytes(row))
            def chunk(kind, data):
                return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
            png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0))
            png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
            open(sys.argv[1], "wb").write(png)
            """
        #expect(try Run.process(Tools.python, ["-c", script, path]).status == 0)
        return path
    }

    @Test func theAgencysSealIsDrawnOverTheLeftThirdOfTheApproversBlock() throws {
        let officer = try sign(try assembled(), into: "officer-for-seal", ["--p12", cert("officer.p12")])
        #expect(officer.status == 0, "\(officer.stderr)")
        let approver = try sign(officer.output, into: "sealed", ["--p12", cert("approver.p12"), "--role", "approver",
                                                                 "--seal", try sealPNG()])
        #expect(approver.status == 0, "\(approver.stderr)")
        let rect = try #require(Self.appearance(approver.json)?.rect)
        let images = try Tools.run("pdfimages", ["-list", "-f", "1", "-l", "1", approver.output]).stdout
        #expect(images.contains("smask"), "the seal keeps its transparency as a soft mask: \(images)")
        // Rendered in colour: red ink in the block's left third, none in its right third.
        let folder = scratch.appendingPathComponent("seal-render").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(try Tools.run("pdftoppm", ["-r", "72", "-f", "1", "-l", "1", "-singlefile", approver.output, folder + "/page"]).status == 0)
        let image = try #require(NetPBM.decode(try Fixtures.read(folder + "/page.ppm")))
        func red(_ x0: Double, _ x1: Double) -> Int {
            var count = 0
            for y in Int(842 - rect[3])..<Int(842 - rect[1]) {
                for x in Int(x0)..<Int(x1) {
                    let at = (y * image.width + x) * 3
                    if image.pixels[at] > 150, image.pixels[at + 1] < 100, image.pixels[at + 2] < 100 { count += 1 }
                }
            }
            return count
        }
        let third = (rect[2] - rect[0]) / 3
        #expect(red(rect[0], rect[0] + third) > 20, "the seal's red ring shows")
        #expect(red(rect[2] - third, rect[2]) == 0, "the seal stays in the left third")
        let verify = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), approver.output])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func aSealThatIsNotAUsablePNGSignsNothing() throws {
        let input = try assembled()
        let notPNG = cert("root-ca.pem")
        var huge = [UInt8]([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        huge += [UInt8](repeating: 0, count: 5 << 20)
        let hugePath = try Fixtures.write(huge, named: "huge.png", in: scratch)
        for (seal, words) in [(notPNG, "not a PNG"), (hugePath, "MiB")] {
            let run = try sign(input, into: "seal-\(words.prefix(3))", ["--p12", cert("approver.p12"), "--role", "approver",
                                                                        "--force", "--seal", seal])
            #expect(run.status == 3, "\(run.stderr)")
            #expect(run.stderr.contains(seal) && run.stderr.contains(words) && run.stderr.contains("Nothing was signed"),
                    "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: run.output))
        }
        let officerSeal = try sign(input, into: "officer-seal", ["--p12", cert("officer.p12"), "--agency", agency])
        #expect(officerSeal.status == 3 && officerSeal.stderr.contains("--role approver"), "\(officerSeal.stderr)")
    }
}
