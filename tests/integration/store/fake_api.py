#!/usr/bin/env python3
"""fake_api.py CERT KEY TOKEN PODS.json: a Kubernetes API stand-in for
`hull store workloads --from-api`: HTTPS on 127.0.0.1 (a free port, printed
on the first line of stdout), GET /api/v1/pods answers PODS.json to the
bearer TOKEN, 401 to anything else, 404 elsewhere; logs each request path
and its answer to stderr."""
import http.server
import ssl
import sys

cert, key, token, pods = sys.argv[1:5]


class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer " + token:
            code, body = 401, b'{"kind":"Status","code":401}'
        elif self.path.split("?")[0] != "/api/v1/pods":
            code, body = 404, b'{"kind":"Status","code":404}'
        else:
            code, body = 200, open(pods, "rb").read()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        sys.stderr.write("%s %d\n" % (self.path, code))

    def log_message(self, *a):
        pass


srv = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
