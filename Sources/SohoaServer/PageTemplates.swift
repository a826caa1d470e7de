import Mustache

/// The HTML pages' templates (Mustache: every `{{value}}` is HTML-escaped). Vietnamese comes
/// first, English beside it in a lighter line; the pages need no JavaScript and fit a phone.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in [("layout-head", head), ("layout-foot", foot), ("check", check), ("compare", compare), ("problem", problem)] {
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

    static let problem = """
        {{> layout-head}}
        <h1>Kiểm tra tài liệu điện tử<span class="en">Electronic document check</span></h1>
        <div class="verdict bad" id="verdict">{{messageVietnamese}}<span class="en">{{messageEnglish}}</span></div>
        {{> layout-foot}}
        """
}
