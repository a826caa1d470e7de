"""A time-stamp authority that answers wrongly, for the tests of what Sohoa refuses: it
listens on a free loopback port, prints its address, and answers every RFC 3161 request with
a granted token that is wrong in one way.

    python rogue_tsa.py wrong-imprint KEY.pem CERT.pem CHAIN.pem     a token over another digest
    python rogue_tsa.py any-certificate KEY.pem CERT.pem CHAIN.pem   a token signed with any certificate
                                                                     (one without the timeStamping usage)
"""
import http.server
import signal
import sys

from asn1crypto import tsp
from pyhanko.keys import load_certs_from_pemder, load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

# A process started by the test runner inherits its blocked signals: SIGTERM must stop this one.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
mode, key_path, cert_path, chain_path = sys.argv[1:5]
stamper = DummyTimeStamper(tsa_cert=load_cert_from_pemder(cert_path), tsa_key=load_private_key_from_pemder(key_path, None),
                           certs_to_embed=SimpleCertificateStore.from_certs(list(load_certs_from_pemder([chain_path]))))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        if mode == "wrong-imprint":
            imprint = request["message_imprint"]
            digest = bytes(imprint["hashed_message"].native)
            request = tsp.TimeStampReq({
                "version": request["version"],
                "message_imprint": {"hash_algorithm": imprint["hash_algorithm"], "hashed_message": bytes(b ^ 0xFF for b in digest)},
                "nonce": request["nonce"], "cert_req": True,
            })
        body = stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(f"rogue time-stamp authority listening on http://127.0.0.1:{server.server_address[1]}/", flush=True)
server.serve_forever()
