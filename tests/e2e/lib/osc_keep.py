"""tests/e2e/lib/osc_keep.py OUT — an OSC (UDP) receiver on a free loopback
port that keeps every datagram in OUT, writes its port to OUT.port, and
stops at a datagram "quit" (UDP keeps order on loopback: by then it has
written all that came before)."""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".port", "w").write(str(s.getsockname()[1]))
with open(sys.argv[1], "wb") as f:
    while True:
        d = s.recv(65536)
        if d == b"quit":
            break
        f.write(d)
