#!/usr/bin/env python3
"""Attack a running `candor serve` the way a hostile page or client could,
and report what it costs the preview.

    cargo build --release
    python3 tests/probes/preview-limits.py [path/to/candor] [site]

It starts the preview on the site (default: example-site) and, one after
the other: sends a 256 MB header line; holds 2,000 connections that send a
request head one byte at a time; then asks for a page while they are held.
It prints the preview's memory (VmRSS, VmHWM) and thread count after each,
and exits 1 if the preview stopped answering, grew past 100 MB or started
a thread per connection.
"""
import os
import socket
import subprocess
import sys
import tempfile
import shutil
import time

CANDOR = sys.argv[1] if len(sys.argv) > 1 else "target/release/candor"
SITE = sys.argv[2] if len(sys.argv) > 2 else "example-site"


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                out[key] = value.strip()
    return out


def get(port, path="/", timeout=180):
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.split(b" ", 2)[1].decode(), time.monotonic() - start


def main():
    work = tempfile.mkdtemp()
    site = os.path.join(work, "site")
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("public", "notices"))
    port_file = os.path.join(work, "port")
    proc = subprocess.Popen(
        [CANDOR, "serve", "--site", site, "--port", "0"],
        stderr=subprocess.PIPE, text=True)
    port = None
    for line in proc.stderr:
        if "Serving the preview at" in line:
            port = int(line.split("http://")[1].split("/")[0].rsplit(":", 1)[1])
            break
    if port is None:
        print("the preview did not start")
        return 1
    failures = []
    try:
        print(f"started:        {status(proc.pid)}")

        # One 256 MB header line.
        sent = 0
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
                chunk = b"a" * (1 << 20)
                for _ in range(256):
                    s.sendall(chunk)
                    sent += len(chunk)
        except OSError:
            pass
        after = status(proc.pid)
        print(f"256 MB header:  refused after {sent >> 20} MB sent; {after}")

        # 2,000 slow connections, each sending its head a byte at a time.
        # Connections are opened without waiting: those past the preview's
        # limit wait in the system's queue, as a flood's would.
        slow = []
        for _ in range(2000):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            slow.append(s)
        time.sleep(1)
        head = b"GET / HTTP/1.1\r\nHost: localhost\r\n"
        for i in range(len(head)):
            for s in slow:
                try:
                    s.send(head[i:i + 1])
                except OSError:
                    pass
            time.sleep(0.1)
        held = status(proc.pid)
        print(f"2,000 slow:     {held}")
        code, took = get(port)
        print(f"a page meanwhile: {code} in {took:.2f} s")
        if code != "200":
            failures.append("no page while slow connections were held")
        for s in slow:
            s.close()
        rss_mb = int(held["VmHWM"].split()[0]) / 1024
        if rss_mb > 100:
            failures.append(f"peak memory {rss_mb:.0f} MB")
        if int(held["Threads"]) > 50:
            failures.append(f"{held['Threads']} threads")
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
