"""No server code can make an HTTP request except through cityhall/core/outbound.py, so none can
skip its address check."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUTBOUND = ROOT / "cityhall" / "core" / "outbound.py"
#: Modules that open sockets to fixed places, never to an address anyone else chose.
FIXED_DESTINATIONS = {
    # `make test` asking whether PostgreSQL, Redis or RabbitMQ listen on 127.0.0.1.
    ROOT / "cityhall" / "core" / "servers.py",
}
#: HTTP clients, and the standard library's own; `http.server` (tests' receivers) is not one.
CLIENT_MODULES = frozenset(
    {
        "aiohttp",
        "http.client",
        "httplib2",
        "httpx",
        "pycurl",
        "requests",
        "tornado.httpclient",
        "urllib.request",
        "urllib3",
    }
)
#: pywebpush sends by itself through these; only its encryption (WebPusher.encode) is for use.
SENDING_NAMES = frozenset(
    {"webpush", "send", "send_async", "urlopen", "create_connection", "socket"}
)


def _server_modules() -> list[Path]:
    modules = [*ROOT.joinpath("cityhall").rglob("*.py"), *ROOT.joinpath("config").rglob("*.py")]
    return [
        path
        for path in modules
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name not in {"testing.py", "smtp_testing.py"}
        and path != OUTBOUND
        and path not in FIXED_DESTINATIONS
    ]


def _is_client(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in CLIENT_MODULES)


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_client(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _is_client(node.module) or any(
                _is_client(f"{node.module}.{alias.name}") for alias in node.names
            ):
                found.append(node.module)
            if node.module == "pywebpush":
                found += [alias.name for alias in node.names if alias.name != "WebPusher"]
        elif isinstance(node, ast.Call) and _sends_through_pywebpush_or_sockets(node, path):
            found.append(ast.unparse(node.func))
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return [f"{shown}: {name}" for name in found]


def _sends_through_pywebpush_or_sockets(call: ast.Call, path: Path) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in SENDING_NAMES:
        return False
    if name in {"send", "send_async"}:
        # Channels have their own send(); only a WebPusher's sends over the network.
        return "WebPusher" in ast.unparse(func)
    if name in {"create_connection", "socket"}:
        return ast.unparse(func) in {"socket.create_connection", "socket.socket"}
    return True


def test_no_server_module_uses_an_http_client_except_the_outbound_door():
    offences = [offence for path in _server_modules() for offence in _offences(path)]

    assert offences == []


def test_the_scan_finds_a_direct_request(tmp_path):
    planted = tmp_path / "planted.py"
    sources = [
        "import requests\n",
        "from urllib.request import urlopen\n",
        "from urllib import request\n",
        "import http.client as client\n",
        "from pywebpush import webpush\n",
        "from pywebpush import WebPusher\nWebPusher({}).send(b'')\n",
        "import socket\nsocket.create_connection(('10.0.0.5', 80))\n",
        "import socket\nsocket.socket().connect(('10.0.0.5', 80))\n",
    ]

    for source in sources:
        planted.write_text(source)

        assert _offences(planted), source
