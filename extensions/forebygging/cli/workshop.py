"""``make workshop``: the trainers' notebooks as a clean app in the browser, for one plan, offline.

Voilà runs every cell of a notebook itself and shows only the widgets, so a trainer gets the
exercises without code or a Jupyter interface to explain (JupyterLab would show the code, need
"Run all", and bring an extension manager, news and update checks that call out). Why each setting:

- bound to 127.0.0.1 with a token: nobody else on the network can open the kernel;
- the plan reaches the notebooks through the environment (``KOMMUNE``, ``FOREBYGGING_DATA``),
  read by :func:`widgets.notebook.workshop_plan`, so the notebooks themselves stay free of paths;
- our own Voilà template (``voila/templates/forebygging``) drops the Font Awesome links to a CDN
  that Voilà's lab template has; the widget JavaScript comes from the installed
  ``jupyterlab_widgets`` labextension, so the page requests nothing from outside the machine;
- no port retries: the address printed is the address served, or the command fails.

Voilà is imported only here, when the command runs: it is installed by ``make workshop``
(``requirements/workshop.lock``), not by ``make html``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
import threading
import time
import webbrowser
from pathlib import Path

from ..core import load
from ..wording import lookup
from .build import PROJECT

NOTEBOOKS = PROJECT / "notebooks"
TEMPLATES = Path(__file__).resolve().parent  # holds voila/templates/forebygging (a Jupyter data dir)
TEMPLATE = "forebygging"
START = "ovelser.ipynb"
HOST = "127.0.0.1"
DEFAULT_PORT = 8866


def notebook_url(port: int, token: str, notebook: str = START) -> str:
    """The address of one notebook rendered by Voilà, with the token that opens it."""
    return f"http://{HOST}:{port}/voila/render/{notebook}?token={token}"


def voila_argv(port: int, token: str, lang: str = "nb", notebooks: Path = NOTEBOOKS) -> list[str]:
    """Voilà's command line: the notebooks folder served on 127.0.0.1 with our template and the token.

    ``lang`` is the page's ``<html lang>``, so a screen reader speaks bokmål or nynorsk.
    """
    return [
        str(notebooks),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        f"--template={TEMPLATE}",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaExporter.language_code={lang}",
    ]


def workshop_env(slug: str, data: Path) -> dict[str, str]:
    """What the kernels inherit: the plan, the data folder, and our template's Jupyter data dir first."""
    paths = [str(TEMPLATES), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    return {"KOMMUNE": slug, "FOREBYGGING_DATA": str(Path(data).resolve()), "JUPYTER_PATH": os.pathsep.join(paths)}


def _open_when_listening(port: int, url: str, timeout: float = 60.0) -> None:
    """Open the browser once the server accepts connections (Voilà's own opener shows the folder)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                webbrowser.open(url)
                return
        except OSError:
            time.sleep(0.3)


def cmd_workshop(args: argparse.Namespace) -> int:
    """Serve the notebooks for ``args.kommune`` (already validated) until Ctrl+C."""
    try:
        from voila.app import Voila
    except ImportError:
        print(
            "error: Voilà is not installed: run `make workshop` (it installs requirements/workshop.lock)",
            file=sys.stderr,
        )
        return 2
    data = load(args.data, args.kommune)  # a plan with bad data is refused here, not in the kernel
    lang = data.plan.language.value
    token = args.token or secrets.token_urlsafe(24)
    os.environ.update(workshop_env(args.kommune, args.data))
    plan = ", ".join(data.plan.municipalities)
    print(lookup(lang, "workshop.cli.exercises", plan=plan, url=notebook_url(args.port, token)))
    print(lookup(lang, "workshop.cli.reflection", url=notebook_url(args.port, token, "refleksjonsverktoy.ipynb")))
    print(lookup(lang, "workshop.cli.stop"), flush=True)
    if not args.no_browser:
        opener = threading.Thread(target=_open_when_listening, args=(args.port, notebook_url(args.port, token)))
        opener.daemon = True
        opener.start()
    Voila.launch_instance(argv=voila_argv(args.port, token, lang))
    return 0
