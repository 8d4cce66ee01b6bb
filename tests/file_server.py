"""A throwaway HTTP server on 127.0.0.1 that serves a folder, and can misbehave.

Modes:
- "normal": serves files (404 for missing ones).
- "truncate": sends the full Content-Length, then closes after half the bytes.
- "stall": sends half the bytes, then waits (until `release()`), so a client
  can be killed in the middle of a download.
"""

import http.server
import os
import threading


class FileServer:
    def __init__(self, root):
        self.root = os.fspath(root)
        self.mode = "normal"
        self.requests = []
        self._released = threading.Event()
        self.half_sent = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append(self.path)
                path = os.path.join(server.root, self.path.lstrip("/"))
                if not os.path.isfile(path):
                    self.send_error(404, "Not Found")
                    return
                with open(path, "rb") as file:
                    body = file.read()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.mode == "normal":
                    self.wfile.write(body)
                    return
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                server.half_sent.set()
                if server.mode == "stall":
                    server._released.wait(timeout=60)
                self.close_connection = True

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
        self._httpd.shutdown()
        self._httpd.server_close()
