"""Schemathesis hooks for the suite's run against `sohoa serve`: PDF bodies are sent as the
raw bytes schemathesis generates for `format: binary` (the server must refuse what is not a PDF
with a 4xx, never a 5xx)."""
import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")
