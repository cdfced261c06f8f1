"""Loaded by the server under test (via PYTHONPATH): logs every attempt to reach another host.

Every DNS lookup of a name other than localhost and every socket connect to an
address other than loopback is appended to the file in ``OUTBOUND_LOG``.
"""

import os
import socket

_LOG = os.environ.get("OUTBOUND_LOG")
_LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", "", None}


def _note(kind: str, target: object) -> None:
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{kind} {target!r}\n")


def _is_local(host: object) -> bool:
    return host in _LOCAL or (isinstance(host, str) and host.startswith("127."))


if _LOG:
    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def connect(self, address):
        if isinstance(address, tuple) and not _is_local(address[0]):
            _note("connect", address)
        return _connect(self, address)

    def connect_ex(self, address):
        if isinstance(address, tuple) and not _is_local(address[0]):
            _note("connect", address)
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            _note("lookup", host)
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
