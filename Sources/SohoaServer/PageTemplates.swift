import Mustache

/// The HTML pages' templates (Mustache: every `{{value}}` is HTML-escaped). Vietnamese comes
/// first, English beside it in a lighter line; the pages need no JavaScript and fit a phone.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in [("layout-head", head), ("layout-foot", foot), ("check", check), ("compare", compare), ("problem", problem),
                             ("login", login), ("status", status)] {
            // The templates are constants of this file: one that does not parse is a bug caught by the tests.
            templates[name] = try! MustacheTemplate(string: text)
        }
        return MustacheLibrary(templates: templates)
    }()

    static let head = """
        <!DOCTYPE html>
        <html lang="vi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        {{#refresh}}<meta http-equiv="refresh" content="15">{{/refresh}}
        <title>{{pageTitle}}</title>
        <style>
        body { font-family: "Liberation Serif", "Times New Roman", serif; margin: 0; background: #f4f5f7; color: #1d2430; }
        main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
        .en { color: #5b6473; font-size: .9em; display: block; }
        .verdict { padding: .9rem 1rem; border-radius: .4rem; font-size: 1.15rem; font-weight: bold; margin-bottom: 1rem; }
        .good { background: #e3f4e6; border: 1px solid #2e7d32; }
        .bad { background: #fde7e7; border: 1px solid #c62828; }
        .unsure { background: #fff5d6; border: 1px solid #b7860b; }
        table { width: 100%; border-collapse: collapse; background: #fff; margin-bottom: 1rem; }
        th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid #e1e4ea; }
        th { width: 38%; font-weight: normal; color: #3a4352; }
        code { word-break: break-all; font-size: .85em; }
        section { background: #fff; padding: .8rem 1rem; margin-bottom: 1rem; border: 1px solid #e1e4ea; }
        h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
        footer { color: #5b6473; font-size: .85rem; }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        .wide { overflow-x: auto; }
        .wide th { width: auto; }
        .failure { color: #8e1c1c; }
        input[type=password] { width: 100%; font-size: 1rem; padding: .4rem; box-sizing: border-box; }
        </style>
        </head>
        <body><main>
        """

    static let foot = """
        <footer>Sohoa · {{verifiedAtLine}}</footer>
        </main></body></html>
        """

    static let check = """
        {{> layout-head}}
        <h1>Kiểm tra tài liệu điện tử<span class="en">Electronic document check</span></h1>
        <div class="verdict {{verdictClass}}" id="verdict">{{verdictVietnamese}}<span class="en">{{verdictEnglish}}</span></div>
        <table>
        <tr><th>Tên tài liệu<span class="en">Title</span></th><td id="title">{{title}}</td></tr>
        <tr><th>Loại tài liệu<span class="en">Type</span></th><td>{{type}}</td></tr>
        <tr><th>Cơ quan ban hành<span class="en">Issuing agency</span></th><td id="agency">{{agency}}</td></tr>
        <tr><th>Mã hồ sơ<span class="en">Dossier code</span></th><td>{{dossier}}</td></tr>
        <tr><th>Thời điểm ban hành<span class="en">Issued</span></th><td>{{issued}}</td></tr>
        <tr><th>Trạng thái<span class="en">State</span></th><td id="state">{{stateVietnamese}}<span class="en">{{stateEnglish}}</span></td></tr>
        <tr><th>Mã băm SHA-256 của bản lưu<span class="en">SHA-256 of the filed version</span></th><td><code id="sha256">{{sha256}}</code></td></tr>
        </table>
        <section id="signatures">
        <h2>Chữ ký số (kiểm tra lúc này)<span class="en">Digital signatures (verified now)</span></h2>
        {{^signatures}}<p>Tài liệu không có chữ ký số.<span class="en">The document has no digital signature.</span></p>{{/signatures}}
        <table>
        {{#signatures}}
        <tr class="signature"><th>{{kindVietnamese}}<span class="en">{{kindEnglish}}</span></th>
        <td><strong>{{signer}}</strong>{{#organization}}<br>{{organization}}{{/organization}}<br>{{time}}{{#timeProven}} (dấu thời gian / time-stamped){{/timeProven}}<br>
        <span class="verdict-word">{{verdictVietnamese}}</span><span class="en">{{verdictEnglish}}</span></td></tr>
        {{/signatures}}
        </table>
        </section>
        <section>
        <h2>So sánh bản sao bạn có<span class="en">Compare a copy you hold</span></h2>
        <form method="post" action="/v/{{code}}" enctype="multipart/form-data">
        <p><input type="file" name="file" accept="application/pdf" required></p>
        <p><button type="submit">So sánh / Compare</button></p>
        </form>
        <p class="en">The file is compared with the filed version and not kept.</p>
        </section>
        {{> layout-foot}}
        """

    static let compare = """
        {{> layout-head}}
        <h1>So sánh bản sao<span class="en">Copy comparison</span></h1>
        <div class="verdict {{verdictClass}}" id="verdict">{{verdictVietnamese}}<span class="en">{{verdictEnglish}}</span></div>
        <table>
        <tr><th>Tên tài liệu<span class="en">Title</span></th><td>{{title}}</td></tr>
        <tr><th>SHA-256 của bản sao<span class="en">SHA-256 of the copy</span></th><td><code>{{uploadedSha256}}</code></td></tr>
        <tr><th>SHA-256 của bản lưu<span class="en">SHA-256 of the filed version</span></th><td><code>{{filedSha256}}</code></td></tr>
        </table>
        <p><a href="/v/{{code}}">Quay lại trang kiểm tra<span class="en">Back to the check page</span></a></p>
        {{> layout-foot}}
        """

    static let login = """
        {{> layout-head}}
        <h1>Sohoa — Đăng nhập<span class="en">Sign in</span></h1>
        {{#messageVietnamese}}<div class="verdict bad" id="message">{{messageVietnamese}}<span class="en">{{messageEnglish}}</span></div>{{/messageVietnamese}}
        <section>
        <form method="post" action="/login">
        <p><label for="token">Mã truy cập<span class="en">Access token</span></label></p>
        <p><input type="password" id="token" name="token" autocomplete="off" required></p>
        <p><button type="submit">Đăng nhập / Sign in</button></p>
        </form>
        <p class="en">A token is given with `sohoa access add`. The page then shows the pipeline's status.</p>
        </section>
        {{> layout-foot}}
        """

    static let status = """
        {{> layout-head}}
        <h1>Tình trạng xử lý hồ sơ<span class="en">Pipeline status</span></h1>
        <p>Lúc {{time}} · {{actor}}<span class="en">At {{time}}; the page refreshes itself every 15 seconds.</span></p>
        <section id="waiting">
        <h2>Chờ xử lý<span class="en">Waiting for people</span></h2>
        <table>
        <tr><th>Chờ cán bộ ký<span class="en">Waiting for an officer's signature</span></th><td class="number" id="pending">{{pending}}</td></tr>
        <tr><th>Chờ lãnh đạo duyệt<span class="en">Waiting for approval</span></th><td class="number" id="signed">{{signed}}</td></tr>
        <tr><th>Đã duyệt<span class="en">Approved</span></th><td class="number" id="approved">{{approved}}</td></tr>
        </table>
        </section>
        <section id="intake">
        <h2>Tiếp nhận<span class="en">Inbox items</span></h2>
        <table>
        {{#intake}}<tr><th>{{vietnamese}}<span class="en">{{english}}</span></th><td class="number">{{count}}</td></tr>{{/intake}}
        <tr><th>Bị từ chối ngay trong thư mục (đặt sai chỗ, sai tên)<span class="en">Refused in the inbox (misplaced, misnamed)</span></th><td class="number">{{refusedInInbox}}</td></tr>
        </table>
        </section>
        <section id="stages">
        <h2>Các công đoạn<span class="en">Stages</span></h2>
        {{^hasStages}}<p>Chưa có công việc nào.<span class="en">No jobs yet.</span></p>{{/hasStages}}
        {{#hasStages}}<div class="wide"><table>
        <tr><th>công đoạn<span class="en">stage</span></th><th class="number">chờ<span class="en">queued</span></th><th class="number">chạy<span class="en">running</span></th><th class="number">xong<span class="en">done</span></th><th class="number">lỗi<span class="en">failed</span></th><th class="number">mỗi phút<span class="en">per minute</span></th><th class="number">chờ lâu nhất<span class="en">oldest waiting</span></th></tr>
        {{#stages}}<tr class="stage"><td>{{stage}}</td><td class="number">{{queued}}</td><td class="number">{{running}}</td><td class="number">{{done}}</td><td class="number">{{failed}}</td><td class="number">{{perMinute}}</td><td class="number">{{oldest}}</td></tr>{{/stages}}
        </table></div>{{/hasStages}}
        </section>
        {{#hasFailures}}<section id="failures">
        <h2>Lỗi gần đây<span class="en">Recent failures</span></h2>
        {{#failures}}<p class="failure"><strong>{{stage}} {{subject}}</strong> ({{stateVietnamese}}, {{attempts}} lần thử) — {{time}}<br>{{reasonVietnamese}}<span class="en">{{stateEnglish}}: {{reasonEnglish}}</span></p>{{/failures}}
        </section>{{/hasFailures}}
        {{#hasNodes}}<section id="nodes">
        <h2>Các nút<span class="en">Nodes</span></h2>
        <table>
        {{#nodes}}<tr><th>{{name}}</th><td>{{stateVietnamese}}<span class="en">{{stateEnglish}}; {{busy}}/{{workers}} workers busy; heard {{seconds}} s ago</span></td></tr>{{/nodes}}
        </table>
        </section>{{/hasNodes}}
        <form method="post" action="/logout"><p><button type="submit">Đăng xuất / Sign out</button></p></form>
        {{> layout-foot}}
        """

    static let problem = """
        {{> layout-head}}
        <h1>Kiểm tra tài liệu điện tử<span class="en">Electronic document check</span></h1>
        <div class="verdict bad" id="verdict">{{messageVietnamese}}<span class="en">{{messageEnglish}}</span></div>
        {{> layout-foot}}
        """
}
