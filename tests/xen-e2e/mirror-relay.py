"""The rig's mirror for a whole install: the dom0 passes the guest's requests under /debian/ on to
the Debian mirror the host uses, reached through QEMU's user network (run-rig.sh with
JXEN_RIG_NET=1). Usage: mirror-relay.py BIND_ADDRESS PORT UPSTREAM_URL HOST_HEADER"""
import http.server
import shutil
import sys
import urllib.error
import urllib.request

BIND, PORT, UPSTREAM, HOST = sys.argv[1], int(sys.argv[2]), sys.argv[3].rstrip("/"), sys.argv[4]


class Relay(http.server.BaseHTTPRequestHandler):
    def relay(self, body):
        if not self.path.startswith("/debian/") or ".." in self.path:
            self.send_error(404)
            return
        req = urllib.request.Request(UPSTREAM + self.path[len("/debian"):], method=self.command, headers={"Host": HOST})
        for name in ("Range", "If-Modified-Since", "If-Range"):
            if self.headers.get(name):
                req.add_header(name, self.headers.get(name))
        try:
            resp = urllib.request.urlopen(req, timeout=120)
        except urllib.error.HTTPError as e:
            resp = e
        except OSError as e:
            self.send_error(502, str(e))
            return
        with resp:
            self.send_response(resp.status if hasattr(resp, "status") else resp.code)
            for name in ("Content-Type", "Content-Length", "Last-Modified", "Content-Range", "Accept-Ranges"):
                if resp.headers.get(name):
                    self.send_header(name, resp.headers.get(name))
            self.end_headers()
            if body:
                shutil.copyfileobj(resp, self.wfile, 1 << 16)

    def do_GET(self):
        self.relay(True)

    def do_HEAD(self):
        self.relay(False)


http.server.ThreadingHTTPServer((BIND, PORT), Relay).serve_forever()
