"""A local fake of Alibaba Cloud SMS's HTTP API (RPC style: the action in the
x-acs-action header, the parameters in the query string), for the SDK to talk to."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeAliyunSms:
    def __init__(self):
        self.sent = []  # the SendSms parameters, in order
        self.failures = []  # codes to answer the next SendSms calls with ("HTTP500" too)
        self.delivered = {}  # BizId -> (SendStatus, ReceiveDate)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                action = self.headers.get("x-acs-action")
                if action == "SendSms":
                    status, body = fake.send(params)
                elif action == "QuerySendDetails":
                    status, body = 200, fake.query(params)
                else:
                    status, body = 400, {"Code": "InvalidAction", "Message": action}
                out = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self):
        return f"127.0.0.1:{self.server.server_port}"

    def send(self, params):
        if self.failures:
            code = self.failures.pop(0)
            if code == "HTTP500":
                return 500, {"Code": "ServiceUnavailable", "Message": "try later"}
            return 200, {"Code": code, "Message": "refused", "RequestId": "r"}
        self.sent.append(params)
        biz_id = f"{900000 + len(self.sent)}^0"
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "r"}

    def query(self, params):
        status, received = self.delivered.get(params.get("BizId"), (1, ""))
        return {
            "Code": "OK",
            "Message": "OK",
            "TotalCount": 1,
            "SmsSendDetailDTOs": {
                "SmsSendDetailDTO": [
                    {
                        "PhoneNum": params.get("PhoneNumber"),
                        "SendStatus": status,
                        "ErrCode": "DELIVERED" if status == 3 else "",
                        "ReceiveDate": received,
                        "SendDate": received,
                        "Content": "",
                    }
                ]
            },
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
