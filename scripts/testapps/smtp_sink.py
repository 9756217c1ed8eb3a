#!/usr/bin/env python3
"""An SMTP sink for the e-mail notifier tests (Debian's python3-aiosmtpd): every message is
written to <DIR>/<n>.eml exactly as received after DATA, with a <n>.json next to it holding
the envelope (mail_from, rcpt_tos), the AUTH login used and whether the session was TLS.
Offers STARTTLS when CERT and KEY are given, and AUTH (PLAIN, LOGIN) accepting USER:PASSWORD
when given. Prints "listening on PORT" once it accepts connections.

    /usr/bin/python3 smtp_sink.py PORT DIR [--tls CERT KEY] [--auth USER:PASSWORD] [--require-tls]
"""
import warnings
import json
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

warnings.simplefilter("ignore")
args = sys.argv[1:]
port, folder = int(args[0]), args[1]
tls_context = None
credentials = None
require_tls = "--require-tls" in args
if "--tls" in args:
    i = args.index("--tls")
    tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_context.load_cert_chain(args[i + 1], args[i + 2])
if "--auth" in args:
    user, password = args[args.index("--auth") + 1].split(":", 1)
    credentials = (user.encode(), password.encode())


def authenticator(server, session, envelope, mechanism, auth_data):
    if credentials and isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == credentials:
        return AuthResult(success=True, auth_data=auth_data)
    return AuthResult(success=False, handled=False)


class Handler:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        base = os.path.join(folder, str(Handler.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
                "tls": session.ssl is not None,
                "host_name": session.host_name,
            }, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


controller = Controller(
    Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost",  # no getfqdn() DNS wait
    tls_context=tls_context, require_starttls=require_tls,
    authenticator=authenticator if credentials else None,
    auth_required=credentials is not None, auth_require_tls=False,
    decode_data=False)
# SIGTERM/SIGINT are blocked in every thread (the server's thread inherits the mask) and taken
# here, so stopping the sink is immediate.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller.start()
print(f"listening on {port}", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
os._exit(0)
