"""Clients that hold a connection without finishing their request, as slowloris does.

usage: slow_client.py HOST PORT TOKEN
Prints two lines: how many seconds the server took to close a connection whose headers never
end, and the status line it answered to a body trickled one byte every half second.
"""
import socket
import sys
import time

host, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]

silent = socket.create_connection((host, port))
silent.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the headers never end
started = time.monotonic()
silent.settimeout(30)
try:
    closed = silent.recv(1024) == b""
except (ConnectionResetError, socket.timeout):
    closed = True
print(f"silent closed={closed} after={time.monotonic() - started:.1f}")
silent.close()

trickle = socket.create_connection((host, port))
trickle.sendall(("POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                 "\r\nContent-Type: application/pdf\r\nContent-Length: 1000\r\n\r\n").encode())
trickle.settimeout(0.5)
started = time.monotonic()
answer = b""
while time.monotonic() - started < 60 and not answer:
    try:
        trickle.sendall(b"%")
    except (BrokenPipeError, ConnectionResetError):
        break
    try:
        answer = trickle.recv(1024)
    except socket.timeout:
        pass
    except ConnectionResetError:
        break
status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
print(f"trickle status={status!r} after={time.monotonic() - started:.1f}")
