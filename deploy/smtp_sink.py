"""A real SMTP server (aiosmtpd) that keeps every message it receives as a file.

deploy/cluster.sh runs it as the cluster's mail server; deploy/cluster_check.py counts the
files against the outbox rows. One file per message: <dir>/<n>-<pid>.eml (written to a
temporary name first and renamed, so a reader never sees half a message).

    .venv/bin/python deploy/smtp_sink.py --port 18084 --dir deploy/.run/mail
"""
import argparse
import itertools
import os
import signal
import threading

from aiosmtpd.controller import Controller


class KeepEveryMessage:
    def __init__(self, directory: str):
        self.directory = directory
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            number = next(self.counter)
        name = os.path.join(self.directory, f"{number:06d}-{os.getpid()}.eml")
        header = (f"X-Sink-Mail-From: {envelope.mail_from}\r\n"
                  f"X-Sink-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        with open(name + ".tmp", "wb") as file:
            file.write(header + envelope.original_content)
        os.replace(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(KeepEveryMessage(args.dir), hostname=args.host, port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"SMTP sink on {args.host}:{args.port}, messages in {args.dir}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
