#!/usr/bin/env python3
"""Runs inside a network namespace for netns.py: a TCP listener that
answers every connection with "NAME:PORT\n", a userland proxy (what
docker-proxy does for loopback publications), or a prober that opens many
connections at once and reports who answered.

  agent.py listen NAME PORT...
  agent.py proxy BIND_IP BIND_PORT TARGET_IP TARGET_PORT
  agent.py probe TIMEOUT < [[label, ip, port], ...] (JSON)  ->  {label: banner or null}
"""
import json
import selectors
import socket
import sys
import time


def listen(name, ports):
    sel = selectors.DefaultSelector()
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(p)))
        s.listen(64)
        sel.register(s, selectors.EVENT_READ, int(p))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        for key, _ in sel.select():
            try:
                c, _ = key.fileobj.accept()
                c.sendall(("%s:%d\n" % (name, key.data)).encode())
                c.close()
            except OSError:
                pass


def proxy(bind_ip, bind_port, target_ip, target_port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((bind_ip, int(bind_port)))
    s.listen(64)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        c, _ = s.accept()
        try:
            u = socket.create_connection((target_ip, int(target_port)), timeout=2)
            c.sendall(u.recv(256))
            u.close()
        except OSError:
            pass
        c.close()


def probe(timeout):
    targets = json.load(sys.stdin)
    sel = selectors.DefaultSelector()
    result = {}
    for label, ip, port in targets:
        result[label] = None
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect_ex((ip, int(port)))
        except OSError:
            s.close()
            continue
        sel.register(s, selectors.EVENT_READ, label)
    deadline = time.monotonic() + timeout
    while sel.get_map() and time.monotonic() < deadline:
        for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
            try:
                data = key.fileobj.recv(256)
                if data:
                    result[key.data] = data.decode(errors="replace").strip()
            except OSError:
                pass
            sel.unregister(key.fileobj)
            key.fileobj.close()
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "listen":
        listen(sys.argv[2], sys.argv[3:])
    elif mode == "proxy":
        proxy(*sys.argv[2:6])
    elif mode == "probe":
        probe(float(sys.argv[2]))
