/// The OpenAPI 3.0 description of `sohoa serve`, served at `/openapi.json`. The test suite
/// checks every answer of a running server against it (schemathesis).
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.0.3",
      "info": {
        "title": "Sohoa repository",
        "version": "1",
        "description": "The shared repository of signed documents: listing and reading a citizen's documents, filing, reuse for another case, verification, the pipeline's status, and the public check behind each document's QR code. Every read of a citizen's document and every change is written to the audit log with the principal who made it."
      },
      "servers": [{"url": "/"}],
      "components": {
        "securitySchemes": {
          "bearer": {"type": "http", "scheme": "bearer", "description": "A token from `sohoa access add`."}
        },
        "parameters": {
          "DocumentID": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}},
          "ServingCase": {"name": "case", "in": "query", "required": false, "description": "The case the read serves (required for the agency role; it must be the citizen's).", "schema": {"type": "string", "pattern": "^[0-9A-Z]+([.][0-9A-Z]+)*-[0-9]{6}-[0-9]{4}$", "maxLength": 64}},
          "PublicCode": {"name": "code", "in": "path", "required": true, "description": "The document's public check code (32 hexadecimal digits); `/v/{code}.json` answers JSON.", "schema": {"type": "string", "maxLength": 200}}
        },
        "responses": {
          "BadRequest": {"description": "A malformed identifier, parameter or body.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unauthorized": {"description": "No token, or a token that is not valid.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Forbidden": {"description": "The principal's roles do not allow it, or the case named is not the citizen's.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "NotFound": {"description": "No such document, version or code.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "TooLarge": {"description": "The body is larger than the limit.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Refused": {"description": "Refused by the rules (not a PDF, another citizen's case).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "TooMany": {"description": "Too many requests just now.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unavailable": {"description": "The database or disk is unavailable just now.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
              "code": {"type": "string", "enum": ["unauthenticated", "forbidden", "invalid-input", "not-found", "conflict", "precondition-required", "precondition-failed", "refused", "method-not-allowed", "timed-out", "too-large", "too-many-requests", "unavailable", "internal"]},
              "message": {"type": "string"}}}}
          },
          "ListedDocument": {
            "type": "object", "required": ["id", "citizen", "cases", "type", "title", "state", "sha256", "created"],
            "properties": {
              "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
              "citizen": {"type": "string"},
              "cases": {"type": "array", "items": {"type": "string"}},
              "type": {"type": "string", "nullable": true},
              "title": {"type": "string", "nullable": true},
              "state": {"type": "string", "enum": ["pending", "signed", "approved", "superseded", "revoked"]},
              "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
              "created": {"type": "string", "format": "date-time"}
            }
          },
          "Version": {
            "type": "object", "required": ["number", "hash", "kind", "actor", "created", "sources", "size"],
            "properties": {
              "number": {"type": "integer", "minimum": 1},
              "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
              "kind": {"type": "string", "enum": ["source", "assembled", "signed", "approved", "imported"]},
              "actor": {"type": "string"},
              "created": {"type": "string", "format": "date-time"},
              "parent": {"type": "string", "nullable": true},
              "sources": {"type": "array", "items": {"type": "string"}},
              "size": {"type": "integer", "minimum": 0}
            }
          },
          "ShownDocument": {
            "type": "object", "required": ["document", "versions"],
            "properties": {
              "document": {"$ref": "#/components/schemas/ListedDocument"},
              "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
              "publicCode": {"type": "string", "nullable": true},
              "procedure": {"type": "string", "nullable": true},
              "pages": {"type": "array", "description": "The text read on each page of the newest version (OCR); empty when none was read.", "items": {"$ref": "#/components/schemas/PageText"}}
            }
          },
          "PageText": {
            "type": "object", "required": ["page", "text", "confidence", "flag"],
            "properties": {
              "page": {"type": "integer", "minimum": 1},
              "text": {"type": "string"},
              "confidence": {"type": "number", "nullable": true, "description": "0 to 100; null for a page that was not read (a blank one)."},
              "flag": {"type": "string", "nullable": true, "description": "Why someone should check the page; null when it reads well."}
            }
          },
          "SearchResults": {
            "type": "object", "required": ["query", "terms", "results", "truncated"],
            "properties": {
              "query": {"type": "string"},
              "terms": {"type": "array", "items": {"type": "string"}, "description": "The words searched for, lower case and without diacritics."},
              "truncated": {"type": "boolean", "description": "More pages held the words than were ranked (those of the newest documents were)."},
              "results": {"type": "array", "items": {
                "type": "object", "required": ["document", "page", "pages", "match", "snippet", "matched"],
                "properties": {
                  "document": {"$ref": "#/components/schemas/ListedDocument"},
                  "page": {"type": "integer", "minimum": 1},
                  "pages": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                  "match": {"type": "string", "enum": ["phrase", "phrase-without-diacritics", "words"]},
                  "snippet": {"type": "string"},
                  "matched": {"type": "array", "items": {"type": "string"}}
                }}}
            }
          },
          "FiledDocument": {
            "allOf": [{"$ref": "#/components/schemas/ListedDocument"}, {"type": "object", "required": ["case", "duplicate"], "properties": {"case": {"type": "string"}, "duplicate": {"type": "boolean"}}}]
          },
          "ReuseOutcome": {
            "type": "object", "required": ["id", "case", "attached"],
            "properties": {
              "id": {"type": "string"}, "case": {"type": "string"}, "attached": {"type": "boolean"},
              "cases": {"type": "array", "items": {"type": "string"}, "nullable": true},
              "verdict": {"type": "string", "nullable": true}, "reason": {"type": "string", "nullable": true}
            }
          },
          "SignatureReport": {
            "type": "object",
            "required": ["field", "signer", "signingTime", "timestamp", "coversWholeDocument", "integrity", "chain", "revocation", "modificationsAfter", "verdict", "reasons"],
            "properties": {
              "field": {"type": "string"}, "signer": {"type": "string", "nullable": true},
              "signingTime": {"type": "string", "nullable": true}, "timestamp": {"type": "string", "nullable": true},
              "coversWholeDocument": {"type": "boolean"}, "integrity": {"type": "string"}, "chain": {"type": "string"},
              "revocation": {"type": "string"}, "modificationsAfter": {"type": "array", "items": {"type": "object"}},
              "verdict": {"type": "string", "enum": ["valid", "invalid", "indeterminate", "unsigned"]},
              "reasons": {"type": "array", "items": {"type": "string"}}
            }
          },
          "FileReport": {
            "type": "object", "required": ["path", "sha256", "verdict", "signatures"],
            "properties": {
              "path": {"type": "string"}, "sha256": {"type": "string"},
              "verdict": {"type": "string", "enum": ["valid", "invalid", "indeterminate", "unsigned"]},
              "signatures": {"type": "array", "items": {"$ref": "#/components/schemas/SignatureReport"}},
              "problems": {"type": "array", "items": {"type": "string"}},
              "problemCodes": {"type": "array", "items": {"type": "string"}}
            }
          },
          "Status": {
            "type": "object", "required": ["time", "intake", "refusedInInbox", "stages", "documents", "recentFailures"],
            "properties": {
              "time": {"type": "string", "format": "date-time"},
              "intake": {"type": "object", "additionalProperties": {"type": "integer"}},
              "refusedInInbox": {"type": "integer"},
              "stages": {"type": "array", "items": {"type": "object"}},
              "documents": {"type": "object", "additionalProperties": {"type": "integer"}},
              "recentFailures": {"type": "array", "items": {"type": "object"}},
              "nodes": {"type": "array", "items": {"type": "object"}}
            }
          },
          "PublicCheck": {
            "type": "object", "required": ["code", "issued", "state", "verdict", "reliable", "sha256", "signatures", "verifiedAt"],
            "properties": {
              "code": {"type": "string"}, "title": {"type": "string", "nullable": true}, "type": {"type": "string", "nullable": true},
              "agency": {"type": "string", "nullable": true}, "dossier": {"type": "string", "nullable": true},
              "issued": {"type": "string"},
              "state": {"type": "string", "enum": ["pending", "signed", "approved", "superseded", "revoked"]},
              "verdict": {"type": "string", "enum": ["valid", "invalid", "indeterminate", "unsigned"]},
              "reliable": {"type": "boolean"}, "sha256": {"type": "string"},
              "signatures": {"type": "array", "items": {"type": "object", "required": ["type", "timeProven", "verdict"], "properties": {
                "signer": {"type": "string", "nullable": true}, "organization": {"type": "string", "nullable": true},
                "type": {"type": "string"}, "time": {"type": "string", "nullable": true}, "timeProven": {"type": "boolean"},
                "verdict": {"type": "string"}}}},
              "verifiedAt": {"type": "string", "format": "date-time"}
            }
          },
          "PublicComparison": {
            "type": "object", "required": ["identical", "uploadedSha256", "filedSha256"],
            "properties": {"identical": {"type": "boolean"}, "olderVersion": {"type": "integer", "nullable": true},
                           "uploadedSha256": {"type": "string"}, "filedSha256": {"type": "string"}}
          }
        }
      },
      "security": [{"bearer": []}],
      "x-identifiers": "A citizen is a 12-digit personal number or a 10-digit tax code (its 10th digit a check digit), optionally with -NNN; a case is a dossier code AGENCY-YYMMDD-NNNN whose date is a real day and whose number is not 0000. The patterns give the form; what they cannot express is answered 400.",
      "paths": {
        "/healthz": {"get": {"operationId": "health", "security": [], "summary": "Whether the service answers.",
          "responses": {"200": {"description": "It answers.", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}}}}}}},
        "/api/v1/documents": {
          "get": {"operationId": "listDocuments", "summary": "Documents, as `sohoa repo list --json` prints them.",
            "parameters": [
              {"name": "citizen", "in": "query", "schema": {"type": "string", "pattern": "^([0-9]{12}|[0-9]{10}(-[0-9]{3})?)$", "maxLength": 14}},
              {"name": "case", "in": "query", "schema": {"type": "string", "pattern": "^[0-9A-Z]+([.][0-9A-Z]+)*-[0-9]{6}-[0-9]{4}$", "maxLength": 64}},
              {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["pending", "signed", "approved", "superseded", "revoked"]}},
              {"name": "type", "in": "query", "schema": {"type": "string", "maxLength": 200}}],
            "responses": {"200": {"description": "The documents.", "content": {"application/json": {"schema": {"type": "object", "required": ["documents"], "properties": {"documents": {"type": "array", "items": {"$ref": "#/components/schemas/ListedDocument"}}}}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "429": {"$ref": "#/components/responses/TooMany"},
              "503": {"$ref": "#/components/responses/Unavailable"}}},
          "post": {"operationId": "fileDocument", "summary": "Files a PDF, as `sohoa repo import` does.",
            "parameters": [
              {"name": "citizen", "in": "query", "schema": {"type": "string", "pattern": "^([0-9]{12}|[0-9]{10}(-[0-9]{3})?)$", "maxLength": 14}},
              {"name": "case", "in": "query", "schema": {"type": "string", "pattern": "^[0-9A-Z]+([.][0-9A-Z]+)*-[0-9]{6}-[0-9]{4}$", "maxLength": 64}},
              {"name": "type", "in": "query", "schema": {"type": "string", "maxLength": 500}},
              {"name": "title", "in": "query", "schema": {"type": "string", "maxLength": 500}},
              {"name": "procedure", "in": "query", "schema": {"type": "string", "maxLength": 500}}],
            "requestBody": {"required": true, "content": {
              "application/pdf": {"schema": {"type": "string", "format": "binary"}},
              "multipart/form-data": {"schema": {"type": "object", "required": ["file", "citizen", "case"], "properties": {
                "file": {"type": "string", "format": "binary"}, "citizen": {"type": "string", "pattern": "^([0-9]{12}|[0-9]{10}(-[0-9]{3})?)$", "maxLength": 14}, "case": {"type": "string", "pattern": "^[0-9A-Z]+([.][0-9A-Z]+)*-[0-9]{6}-[0-9]{4}$", "maxLength": 64},
                "type": {"type": "string"}, "title": {"type": "string"}, "procedure": {"type": "string"}}}}}},
            "responses": {"201": {"description": "Filed.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FiledDocument"}}}},
              "200": {"description": "The same content was filed before for this citizen: linked to the case, not copied.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FiledDocument"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/Forbidden"}, "413": {"$ref": "#/components/responses/TooLarge"},
              "422": {"$ref": "#/components/responses/Refused"}, "429": {"$ref": "#/components/responses/TooMany"},
              "503": {"$ref": "#/components/responses/Unavailable"}}}
        },
        "/api/v1/search": {"get": {"operationId": "searchDocuments", "summary": "Documents whose pages hold every word of q, with or without diacritics, best first, as `sohoa repo search --json` prints them. An agency names the citizen and the case it serves, and finds that citizen's signed or approved documents. Audited.",
          "parameters": [
            {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 500}},
            {"name": "citizen", "in": "query", "schema": {"type": "string", "pattern": "^([0-9]{12}|[0-9]{10}(-[0-9]{3})?)$", "maxLength": 14}},
            {"name": "case", "in": "query", "schema": {"type": "string", "pattern": "^[0-9A-Z]+([.][0-9A-Z]+)*-[0-9]{6}-[0-9]{4}$", "maxLength": 64}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}}],
          "responses": {"200": {"description": "What was found (perhaps nothing).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"}, "429": {"$ref": "#/components/responses/TooMany"},
            "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/api/v1/documents/{id}": {"get": {"operationId": "showDocument", "summary": "A document, its versions with provenance, its cases and public code.",
          "parameters": [{"$ref": "#/components/parameters/DocumentID"}, {"$ref": "#/components/parameters/ServingCase"}],
          "responses": {"200": {"description": "The document.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ShownDocument"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
            "429": {"$ref": "#/components/responses/TooMany"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/api/v1/documents/{id}/versions/{number}": {"get": {"operationId": "getVersion", "summary": "A version's bytes; its SHA-256 in X-Content-SHA256 and Repr-Digest.",
          "parameters": [{"$ref": "#/components/parameters/DocumentID"}, {"name": "number", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}, {"$ref": "#/components/parameters/ServingCase"}],
          "responses": {"200": {"description": "The bytes.", "headers": {"X-Content-SHA256": {"schema": {"type": "string"}}}, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
            "429": {"$ref": "#/components/responses/TooMany"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/api/v1/documents/{id}/versions": {"post": {"operationId": "fileSignedVersion", "summary": "Files a version signed on the signer's machine (sohoa sign --pending --server): the version named by If-Match with one signature added, of the role the document waits for (an officer's for a pending document, an approver's for a signed one).",
          "parameters": [{"$ref": "#/components/parameters/DocumentID"}, {"name": "If-Match", "in": "header", "required": false, "description": "The quoted SHA-256 of the version that was signed. Without it the answer is 428: a signed version is filed only against the version it was made from.", "schema": {"type": "string", "pattern": "^\"?[0-9a-f]{64}\"?$"}}],
          "requestBody": {"required": true, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
          "responses": {"201": {"description": "Filed.", "content": {"application/json": {"schema": {"type": "object", "required": ["document", "version"], "properties": {"document": {"$ref": "#/components/schemas/ListedDocument"}, "version": {"$ref": "#/components/schemas/Version"}}}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
            "409": {"description": "Nothing about the document waits for a signature.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "412": {"description": "The document changed since it was fetched: another signer was first.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "413": {"$ref": "#/components/responses/TooLarge"}, "422": {"$ref": "#/components/responses/Refused"},
            "428": {"description": "If-Match is missing.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "429": {"$ref": "#/components/responses/TooMany"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/api/v1/documents/{id}/reuse": {"post": {"operationId": "reuseDocument", "summary": "Attaches the document to another case of the same citizen, after verifying it again (as `sohoa repo reuse`).",
          "parameters": [{"$ref": "#/components/parameters/DocumentID"}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["case"], "properties": {"case": {"type": "string", "pattern": "^[0-9A-Z]+([.][0-9A-Z]+)*-[0-9]{6}-[0-9]{4}$", "maxLength": 64}}}}}},
          "responses": {"200": {"description": "Attached.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReuseOutcome"}}}},
            "422": {"description": "Refused, with the reason.", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/ReuseOutcome"}, {"$ref": "#/components/schemas/Error"}]}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"},
            "409": {"description": "Changed meanwhile.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "413": {"$ref": "#/components/responses/TooLarge"}, "429": {"$ref": "#/components/responses/TooMany"},
            "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/api/v1/verify": {"post": {"operationId": "verify", "summary": "Verifies a PDF; answers one file object of `sohoa verify --json`.",
          "parameters": [{"name": "name", "in": "query", "description": "The file name the report gives (default upload.pdf).", "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^/\\\\\\u0000-\\u001f\\u007f]+$"}}],
          "requestBody": {"required": true, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
          "responses": {"200": {"description": "The verification.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FileReport"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
            "413": {"$ref": "#/components/responses/TooLarge"}, "422": {"$ref": "#/components/responses/Refused"},
            "429": {"$ref": "#/components/responses/TooMany"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/api/v1/status": {"get": {"operationId": "status", "summary": "The pipeline, as `sohoa status --json` prints it.",
          "responses": {"200": {"description": "The status.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
            "429": {"$ref": "#/components/responses/TooMany"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics (text format), for a token that may read the status.",
          "responses": {"200": {"description": "The metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"},
            "429": {"$ref": "#/components/responses/TooMany"}, "503": {"$ref": "#/components/responses/Unavailable"}}}},
        "/v/{code}": {
          "get": {"operationId": "publicCheck", "security": [], "summary": "The public check page (HTML); `/v/{code}.json` answers the same as JSON. Nothing of the citizen is shown.",
            "parameters": [{"$ref": "#/components/parameters/PublicCode"}],
            "responses": {"200": {"description": "The check.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/PublicCheck"}}}},
              "404": {"description": "No document has this code.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "429": {"description": "Too many requests.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "503": {"description": "Unavailable just now.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
          "post": {"operationId": "publicCompare", "security": [], "summary": "Compares an uploaded copy with the filed version.",
            "parameters": [{"$ref": "#/components/parameters/PublicCode"}],
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}, "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"200": {"description": "The comparison.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/PublicComparison"}}}},
              "400": {"description": "No file.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "404": {"description": "No document has this code.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "413": {"description": "Too large.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "429": {"description": "Too many requests.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "503": {"description": "Unavailable just now.", "content": {"text/html": {"schema": {"type": "string"}}, "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
        }
      }
    }
    """#
}
