"""The notebooks in JupyterLab (issue 17), with the project's Jupyter config (jupyter_config/).

- Saving a notebook of notebooks/ stores its committed form (workbench.lab.pre_save_hook), so
  git sees no change after a notebook was opened, run and saved; the committed notebooks are in
  that form already, with the kernelspec JupyterLab writes on open.
- Kernels started by the server get CurveZMQ keys (no "running over TCP without encryption").
- In a real JupyterLab (headless Chromium driven by Playwright, on loopback with a token), Run
  All on ``00_data_overview``, then a new ticker in the trade explorer: the live figure's x axis
  shows dates (it showed nanoseconds since 1970), the right axis appears only with a price line,
  the redrawn traces hold the trades the title counts, and the saved notebook is byte-identical
  to the committed one.

Playwright drives the system Chromium (``executable_path``); ``playwright install`` is never
run. Missing Playwright or Chromium fails under CI / ``WORKBENCH_REQUIRE_SHARED=1`` and skips
locally.
"""

from __future__ import annotations

import copy
import glob
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from report_helpers import NOTEBOOKS
from test_browser import chromium  # noqa: F401  (fixture)

from workbench.config import project_root
from workbench.lab import strip_notebook

CONFIG_DIR = project_root() / "jupyter_config"
NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("WORKBENCH_REQUIRE_SHARED") == "1"


def project_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("jupyter_server_config.py", path=str(CONFIG_DIR)).load_config()


def ipykernel_spec() -> dict:
    """The kernelspec metadata JupyterLab writes into a notebook when its kernel starts."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"display_name": spec.display_name, "language": spec.language, "name": "python3"}


def as_used_in_lab(nb: dict) -> dict:
    """What JupyterLab sends on save after a Run All: outputs (with the PNG snapshot the plotly
    renderer adds), execution counts, timing and trust metadata, widget state, and the
    ``language_info`` of the running kernel."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb["cells"]):
        cell["metadata"]["trusted"] = True
        if cell["cell_type"] != "code":
            continue
        cell["execution_count"] = i + 1
        cell["metadata"]["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
        cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                            "data": {"application/vnd.plotly.v1+json": {"data": []},
                                     "image/png": "iVBORw0KGgo=", "text/plain": ["Figure"]}}]
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb["metadata"]["language_info"] = {
        "name": "python", "version": "3.11.7", "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": 3}, "pygments_lexer": "ipython3",
        "nbconvert_exporter": "python", "file_extension": ".py"}
    return nb


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.stem for p in NOTEBOOK_PATHS])
def test_committed_notebooks_are_in_saved_form(path):
    """Each notebook is what the hook saves (so saving it changes no byte) and carries the
    kernelspec JupyterLab writes on open (06 and 07 said "Python 3" and changed on open)."""
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    saved = nbformat.writes(nbformat.from_dict(strip_notebook(copy.deepcopy(nb))),
                            version=nbformat.NO_CONVERT) + "\n"
    assert saved == raw, (f"{path.name}: saving from JupyterLab would rewrite it; store it as "
                          "nbformat.write(workbench.lab.strip_notebook(nb)) does")
    spec = ipykernel_spec()
    assert nb["metadata"].get("kernelspec") == spec, (
        f"{path.name}: metadata.kernelspec must be {spec} (what JupyterLab writes when the "
        "kernel starts; anything else marks the notebook changed on open)")


def test_save_hook_restores_the_committed_bytes(tmp_path, monkeypatch):
    """A real FileContentsManager with the project config: a notebook of the stripped
    directory comes back byte-identical after a save with outputs; one elsewhere keeps them."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "scratch").mkdir()
    monkeypatch.setenv("WORKBENCH_LAB_STRIP", str(tmp_path / "notebooks"))
    cm = FileContentsManager(config=project_config(), root_dir=str(tmp_path))
    for path in NOTEBOOK_PATHS[:1] + NOTEBOOK_PATHS[-1:]:
        committed = path.read_bytes()
        used = as_used_in_lab(json.loads(committed))
        for where in ("notebooks", "scratch"):
            cm.save({"type": "notebook", "format": "json", "content": copy.deepcopy(used)},
                    f"{where}/{path.name}")
        assert (tmp_path / "notebooks" / path.name).read_bytes() == committed, path.name
        kept = json.loads((tmp_path / "scratch" / path.name).read_text())
        assert any(c.get("outputs") for c in kept["cells"]), "a scratch notebook lost outputs"
        assert "widgets" in kept["metadata"]


def test_default_strip_dir_is_the_checkouts_notebooks(monkeypatch):
    from workbench.lab import strip_dirs

    monkeypatch.delenv("WORKBENCH_LAB_STRIP", raising=False)
    assert strip_dirs() == [NOTEBOOKS.resolve()]


def test_project_config_settings():
    cfg = project_config()
    assert cfg.FileContentsManager.pre_save_hook == "workbench.lab.pre_save_hook"
    assert cfg.MappingKernelManager.transport_encryption == "auto"


# ---------------------------------------------------------------------------------------------
# JupyterLab in a browser

LAB_FLAGS = ["--no-browser", "--ip=127.0.0.1", "--port=0", "--ServerApp.port_retries=0",
             "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             "--LabApp.extension_manager=readonly"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
YEAR_OR_MONTH = re.compile(r"\b(?:19|20)\d\d\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
                           r"Nov|Dec)\b")
NUMBER_LIKE_NS = re.compile(r"[eE][+]?1\d|\d{7,}|\d[.,]\d+[EeG]")


@pytest.fixture
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required():
            pytest.fail("playwright is not installed (pip install -e '.[dev]')")
        pytest.skip("playwright is not installed")
    return sync_playwright


class Lab:
    """JupyterLab on 127.0.0.1 with a token, the project config and isolated user dirs."""

    def __init__(self, root: Path, home: Path):
        self.root, self.home = root, home
        for d in ("config", "data", "runtime", "settings", "workspaces", "ipython"):
            (home / d).mkdir(parents=True)
        labconfig = home / "config" / "labconfig"
        labconfig.mkdir()
        # the news prompt would cover the page; it also asks a server outside
        (labconfig / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        self.token = os.urandom(16).hex()
        self.log_path = home / "server.log"
        env = {**os.environ, "JUPYTER_CONFIG_PATH": str(CONFIG_DIR),
               "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
               "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
               "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
               "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
               "IPYTHONDIR": str(home / "ipython"),
               "WORKBENCH_LAB_STRIP": str(root / "notebooks"), "PYTHONDONTWRITEBYTECODE": "1"}
        flags = [*LAB_FLAGS, f"--IdentityProvider.token={self.token}",
                 f"--ServerApp.root_dir={root}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--allow-root")
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", *flags], env=env,
                                     cwd=root, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = self._wait_for_url()

    def _wait_for_url(self, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.server_log()
            for f in glob.glob(str(self.home / "runtime" / "jpserver-*.json")):
                try:
                    url = json.loads(Path(f).read_text())["url"].rstrip("/")
                    urllib.request.urlopen(f"{url}/api/status?token={self.token}", timeout=5)
                    return url
                except (OSError, ValueError, KeyError):
                    pass
            time.sleep(0.5)
        raise AssertionError(f"JupyterLab did not start:\n{self.server_log()}")

    def server_log(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


PANEL = "window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = """() => {
  const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && p.context.isReady;
}"""
ALL_RUN = f"""() => {{
  const p = {PANEL};
  const k = p.sessionContext.session && p.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  const code = [...p.content.model.cells].filter(c => c.type === 'code');
  // a cell that raised stops Run All: the cells after it keep no execution count
  return code.every(c => c.executionCount !== null) ||
    code.some(c => c.outputs.toJSON().some(o => o.output_type === 'error'));
}}"""
ERRORS = f"""() => [...{PANEL}.content.model.cells].filter(c => c.type === 'code')
  .flatMap(c => c.outputs.toJSON()).filter(o => o.output_type === 'error')
  .map(o => o.ename + ': ' + o.evalue)"""
EXPLORER_INDEX = f"""() => [...{PANEL}.content.model.cells]
  .findIndex(c => c.sharedModel.getSource().includes('TradeExplorer('))"""
EXPLORER = f"""i => {PANEL}.content.widgets[i].node"""
# What the explorer figure shows: title, tick labels, markers per trace, drawn lines.
FIGURE_STATE = """cell => {
  const plot = cell.querySelector('.js-plotly-plot');
  if (!plot) return null;
  const texts = sel => [...plot.querySelectorAll(sel)].map(t => t.textContent.trim());
  const traces = [...plot.querySelectorAll('.scatterlayer .trace')];
  return {title: (plot.querySelector('.gtitle') || {textContent: ''}).textContent,
          xticks: texts('.xtick text'), y2ticks: texts('.y2tick text'),
          traces: traces.length,
          points: traces.map(t => t.querySelectorAll('path.point').length),
          lines: plot.querySelectorAll('.scatterlayer .trace path.js-line').length,
          selects: [...cell.querySelectorAll('.widget-dropdown select')]
            .map(s => s.options[s.selectedIndex] ?
                 s.options[s.selectedIndex].text.replace(/\u00a0/g, ' ') : null)};
}"""
# Drawn once the markers of all traces add up to the count in the title (the first paint of a
# FigureWidget has empty default axes).
DRAWN = f"""cell => {{
  const s = ({FIGURE_STATE})(cell);
  const m = s && s.title.match(/: (\\d+) trades/);
  return !!m && s.xticks.length > 0 && s.points.reduce((a, b) => a + b, 0) === Number(m[1]);
}}"""
TITLE_COUNT = re.compile(r": (\d+) trades \(by (\w+) date\)")


PROGRESS = """() => {
  const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!p || !p.content || !p.content.model) return 'no notebook panel';
  const k = p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;
  const counts = [...p.content.model.cells].filter(c => c.type === 'code')
    .map(c => c.executionCount);
  return 'kernel ' + (k ? k.status : 'none') + ', execution counts ' + JSON.stringify(counts);
}"""


def wait_until(page, predicate: str, what: str, shot: Path, arg=None, timeout: float = 240_000):
    """``page.wait_for_function`` that fails naming the step, with the notebook's progress and
    a screenshot (generous timeouts: CI machines have 2 shared cores)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(predicate, arg=arg, polling=250, timeout=timeout)
    except PlaywrightTimeout:
        page.screenshot(path=str(shot))
        raise AssertionError(f"timed out waiting for {what}: {page.evaluate(PROGRESS)} "
                             f"(screenshot {shot})") from None


def assert_date_ticks(state: dict, when: str) -> None:
    assert state["xticks"], f"{when}: no x tick labels"
    for label in state["xticks"]:
        assert YEAR_OR_MONTH.search(label) and not NUMBER_LIKE_NS.search(label), \
            f"{when}: x tick {label!r} is not a date ({state['xticks']})"


@pytest.mark.browser
@pytest.mark.notebooks
def test_explorer_in_jupyterlab(chromium, playwright_api, tmp_path):  # noqa: F811
    name = "00_data_overview.ipynb"
    committed = (NOTEBOOKS / name).read_bytes()
    (tmp_path / "root" / "notebooks").mkdir(parents=True)
    nb_copy = tmp_path / "root" / "notebooks" / name
    nb_copy.write_bytes(committed)
    lab = Lab(tmp_path / "root", tmp_path / "home")
    outside: list[str] = []
    console_errors: list[str] = []
    try:
        with playwright_api() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(240_000)
            shot = tmp_path / "jupyterlab.png"
            page.on("console", lambda m: console_errors.append(m.text)
                    if m.type == "error" else None)
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(lab.url + "/")
                       else (outside.append(route.request.url), route.abort()))
            page.goto(f"{lab.url}/lab/tree/notebooks/{name}?token={lab.token}&reset")
            wait_until(page, KERNEL_IDLE, "the kernel", shot)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            wait_until(page, ALL_RUN, "Run All", shot, timeout=420_000)
            assert page.evaluate(ERRORS) == []

            idx = page.evaluate(EXPLORER_INDEX)
            assert idx >= 0
            page.evaluate(f"i => {PANEL}.content.scrollToItem(i)", idx)
            cell = wait_until(page, f"i => ({EXPLORER})(i)", "the explorer cell", shot,
                              arg=idx).as_element()
            wait_until(page, DRAWN, "the explorer figure", shot, arg=cell)
            before = page.evaluate(FIGURE_STATE, cell)
            assert_date_ticks(before, "first display")
            politician, ticker = before["selects"][:2]
            assert ticker == "(all)"
            assert before["y2ticks"] == [] and before["lines"] == 0  # no price line, no axis
            n_before = int(TITLE_COUNT.search(before["title"]).group(1))
            assert sum(before["points"]) == n_before > 0
            assert before["traces"] == len(before["points"]) == sum(n > 0 for n in
                                                                    before["points"])

            # the politician's most traded ticker, from the same universe the notebook loaded
            from workbench.reports import load_universe
            from workbench.reports.parameters import read_parameters
            from workbench.widgets import filter_trades

            params = {p.name: p.default for p in read_parameters(NOTEBOOKS / name)}
            universe = load_universe(params["source"], seed=params["seed"],
                                     smoke=params["smoke"])
            mine = universe.trades[universe.trades["politician"] == politician]
            pick = str(mine["ticker"].value_counts().index[0])
            sel = filter_trades(universe.trades, politician=politician, ticker=pick)
            sides = [int((sel["side"] == side).sum()) for side in ("buy", "sell", "exchange")]
            want = len(sel)

            cell.query_selector_all(".widget-dropdown select")[1].select_option(label=pick)
            wait_until(  # redrawn: the new title, and as many markers as it counts
                page, f"([cell, t]) => ({DRAWN})(cell) && cell.querySelector('.gtitle')"
                f".textContent.includes(', ' + t + ':')", f"the redraw for {pick}", shot,
                arg=[cell, pick])
            after = page.evaluate(FIGURE_STATE, cell)
            assert_date_ticks(after, f"after choosing {pick}")
            assert after["selects"][:2] == [politician, pick]
            assert int(TITLE_COUNT.search(after["title"]).group(1)) == want > 0
            # redrawn: one trace per side with trades, each with its markers, then the price
            # line on the right axis (an empty trace is not drawn: none before)
            assert after["points"] == [n for n in sides if n] + [0], (after, sides)
            assert after["traces"] == sum(n > 0 for n in sides) + 1 and after["lines"] == 1
            assert sum(after["points"]) == want < n_before

            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
            wait_until(page, f"() => !{PANEL}.context.model.dirty", "the save", shot)
            browser.close()
    finally:
        lab.stop()
    log = lab.server_log()
    assert nb_copy.read_bytes() == committed, "saving after Run All changed the notebook"
    assert "without encryption" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    assert outside == [], outside
    assert console_errors == [], console_errors
