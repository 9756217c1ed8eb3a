#!/usr/bin/env python3
"""Serves exposition fixture files for scrape tests: GET /<name> answers the file <DIR>/<name>
with the content type its suffix implies (`.om.txt`: OpenMetrics 1.0, anything else: text
format 0.0.4). Prints "listening on PORT" once it accepts connections.

    python3 fixture_server.py PORT DIR
"""
import http.server
import os
import sys

port, folder = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = os.path.join(folder, os.path.basename(self.path.split("?")[0]))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        if path.endswith(".om.txt"):
            content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8"
        else:
            content_type = "text/plain; version=0.0.4; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
print(f"listening on {port}", flush=True)
server.serve_forever()
