"""A throwaway HTTP server on 127.0.0.1 that serves a folder, and can misbehave.

Modes:
- "normal": serves files (404 for missing ones: write a file later to
  "publish" it).
- "truncate": sends the full Content-Length, then closes after half the bytes.
- "stall": sends half the bytes, then waits (until `release()`), so a client
  can be killed in the middle of a download.
- "drip": sends the full Content-Length, then one byte every `drip_seconds`.
- "no_length": sends no Content-Length and streams the file over and over,
  `stream_bytes` in all, then closes (a server that never says how much).

`pages[path] = (status, body)` answers a path with that status and body
whatever the mode, e.g. an HTML error page with status 200. `chunk_delay`
(seconds) paces normal answers in 64 KiB chunks, so that concurrent
downloads overlap.
"""

import contextlib
import http.server
import os
import threading
import time


class FileServer:
    def __init__(self, root):
        self.root = os.fspath(root)
        self.mode = "normal"
        self.requests = []
        self.pages = {}
        self.drip_seconds = 0.05
        self.stream_bytes = 64 << 20
        self.chunk_delay = 0.0
        self._released = threading.Event()
        self._stopped = threading.Event()
        self.half_sent = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append(self.path)
                if self.path in server.pages:
                    status, body = server.pages[self.path]
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                path = os.path.join(server.root, self.path.lstrip("/"))
                if not os.path.isfile(path):
                    self.send_error(404, "Not Found")
                    return
                with open(path, "rb") as file:
                    body = file.read()
                self.send_response(200)
                if server.mode != "no_length":
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # A client that gives up (what some tests wait for) closes the socket.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send_body(body)
                self.close_connection = True

            def _send_body(self, body):
                if server.mode == "normal":
                    for start in range(0, len(body), 1 << 16):
                        self.wfile.write(body[start : start + (1 << 16)])
                        time.sleep(server.chunk_delay)
                elif server.mode == "drip":
                    for start in range(len(body)):
                        if server._stopped.is_set():
                            return
                        self.wfile.write(body[start : start + 1])
                        self.wfile.flush()
                        time.sleep(server.drip_seconds)
                elif server.mode == "no_length":
                    sent = 0
                    while sent < server.stream_bytes and body and not server._stopped.is_set():
                        self.wfile.write(body)
                        sent += len(body)
                else:  # "truncate", "stall"
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    server.half_sent.set()
                    if server.mode == "stall":
                        server._released.wait(timeout=60)

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def release(self):
        self._released.set()

    def stop(self):
        self.release()
        self._stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()
