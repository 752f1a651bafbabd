"""A shared Chroma server that only answers requests carrying a token: a real `chroma run`
behind a small proxy that checks Chroma's token header, as README's recipe for a server bound
beyond loopback describes. Without the token nothing is indexed and the error is one line."""
from __future__ import annotations

import http.client
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from assistant.app import App, Settings

from .conftest import EMBEDDING_CACHE, run_cli
from .test_chroma_server import chroma_url  # noqa: F401 - the real server fixture

pytestmark = pytest.mark.slow
TOKEN = "team-token-7f3a"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@pytest.fixture(scope="module")
def guarded_url(chroma_url):  # noqa: F811
    upstream = urlparse(chroma_url)

    class TokenProxy(BaseHTTPRequestHandler):
        def relay(self) -> None:
            if self.headers.get("X-Chroma-Token") != TOKEN:
                self.send_error(401, "token required")
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = relay

        def log_message(self, *args) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), TokenProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()


def test_without_the_token_nothing_is_indexed_and_the_error_is_one_line(guarded_url, corpus_copy, tmp_path,
                                                                        monkeypatch):
    monkeypatch.delenv("POLICY_ASSISTANT_CHROMA_TOKEN", raising=False)
    app = App(Settings(corpus=corpus_copy, index=tmp_path / "index"))
    result = run_cli(app, "index", "--chroma-url", guarded_url)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "--chroma-token" in result.output
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_with_the_token_the_index_is_built_and_searched_through_the_proxy(guarded_url, corpus_copy, tmp_path,
                                                                         monkeypatch):
    monkeypatch.delenv("POLICY_ASSISTANT_CHROMA_TOKEN", raising=False)
    (tmp_path / "index").mkdir()
    if EMBEDDING_CACHE.exists():  # the seeds' vectors: nothing to embed
        shutil.copy(EMBEDDING_CACHE, tmp_path / "index" / "embeddings.sqlite")
    app = App(Settings(corpus=corpus_copy, index=tmp_path / "index"))
    built = run_cli(app, "ask", "--json", "漕河泾计划培养多少名执业专利代理师？", "--chroma-url", guarded_url,
                    "--chroma-token", TOKEN)
    assert built.exit_code == 0 and "750" in built.output, built.output
    served = App(Settings(corpus=corpus_copy, index=tmp_path / "index", chroma_url=guarded_url))
    assert served.index.vectors.count() == len(served.index.clauses) > 150
    hits = served.index.vectors.search(served.index.vectors._collection.get(limit=1, include=["embeddings"])
                                       ["embeddings"][0], 3)
    assert len(hits) == 3
