"""Download the public source files (Senate, House, Ken French factors, legislators).

Each source is a base URL plus file names. The base URL comes from the ``base_url`` argument,
else ``$WORKBENCH_FETCH_<WHAT>_URL`` (e.g. ``WORKBENCH_FETCH_SENATE_URL``), else the public
default in :data:`SOURCES`; a mirror laid out like the project's ``shared/data`` directory works
(``<mirror>/senate/``, ``<mirror>/factors/``, ...).

Downloads stream into a temporary file beside the target while a sha256 is computed, are
checked against the announced length and (when given) an expected checksum, and are renamed
into place atomically: a failed download never leaves a partial file under the target name.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from workbench.exceptions import FetchError

__all__ = ["SOURCES", "Source", "fetch", "fetch_file", "source_url"]

CHUNK = 1 << 16


@dataclass(frozen=True)
class Source:
    """A public data source: base URL and the files to get from it.

    ``files`` is a tuple of alternatives per file: the first name that exists on the server is
    downloaded (the Ken French library publishes a zip; mirrors may hold the unzipped CSV).
    """

    base_url: str
    files: tuple[tuple[str, ...], ...]


SOURCES: dict[str, Source] = {
    "senate": Source("https://senate-stock-watcher-data.s3-us-west-2.amazonaws.com/aggregate/",
                     (("all_daily_summaries.json",), ("all_transactions.csv",))),
    "house": Source("https://house-stock-watcher-data.s3-us-west-2.amazonaws.com/data/",
                    (("all_transactions.json",),)),
    "factors": Source("https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/",
                      (("F-F_Research_Data_5_Factors_2x3_daily_CSV.zip",
                        "F-F_Research_Data_5_Factors_2x3_daily.CSV"),)),
    "legislators": Source("https://unitedstates.github.io/congress-legislators/",
                          (("legislators-current.csv",), ("legislators-historical.csv",))),
}


def source_url(what: str, base_url: str | None = None) -> str:
    """Base URL of a source: argument, else ``$WORKBENCH_FETCH_<WHAT>_URL``, else the default."""
    if what not in SOURCES:
        raise FetchError(f"unknown source {what!r}; expected one of {sorted(SOURCES)}")
    url = base_url or os.environ.get(f"WORKBENCH_FETCH_{what.upper()}_URL") or SOURCES[what].base_url
    return url if url.endswith("/") else url + "/"


def fetch_file(url: str, target: str | Path, *, expected_sha256: str | None = None,
               progress: bool = True, timeout: float = 60.0) -> tuple[Path, str]:
    """Stream ``url`` to ``target`` atomically; return ``(path, sha256 hex)``.

    Parameters
    ----------
    url : str
    target : path
        Final file; written via a temporary file in the same directory and ``os.replace``.
    expected_sha256 : str, optional
        Verify the download; on mismatch nothing is left behind and FetchError is raised.
    progress : bool
        tqdm progress bar on stderr.
    timeout : float
        Seconds for connecting and for each read.

    Raises
    ------
    FetchError
        HTTP error status, network failure or timeout, short read, checksum mismatch.
    """
    from tqdm import tqdm

    from workbench import __version__

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": f"workbench/{__version__}"})
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    digest = hashlib.sha256()
    try:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp, \
                    os.fdopen(fd, "wb") as out:
                length = resp.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                got = 0
                with tqdm(total=total, unit="B", unit_scale=True, desc=target.name,
                          file=sys.stderr, disable=not progress, leave=False) as bar:
                    while chunk := resp.read(CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        got += len(chunk)
                        bar.update(len(chunk))
                out.flush()
                os.fsync(out.fileno())
        except urllib.error.HTTPError as exc:
            raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:
            raise FetchError(f"{url}: {exc.reason}") from exc
        except TimeoutError as exc:
            raise FetchError(f"{url}: timed out after {timeout:g} s") from exc
        except OSError as exc:
            raise FetchError(f"{url}: {exc}") from exc
        if total is not None and got != total:
            raise FetchError(f"{url}: short read, {got} of {total} bytes")
        sha = digest.hexdigest()
        if expected_sha256 is not None and sha != expected_sha256.lower():
            raise FetchError(f"{url}: sha256 {sha} does not match expected {expected_sha256}")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target, sha


def fetch(what: str, dest_dir: str | Path, *, base_url: str | None = None,
          progress: bool = True, checksums: dict[str, str] | None = None,
          timeout: float = 60.0) -> list[Path]:
    """Download the files of one public source into ``dest_dir``.

    Parameters
    ----------
    what : {"senate", "house", "factors", "legislators"}
    dest_dir : path
        Directory the files land in, under their published names.
    base_url : str, optional
        Override of the source's base URL (else ``$WORKBENCH_FETCH_<WHAT>_URL`` or default).
    progress : bool
        Progress bars on stderr.
    checksums : dict, optional
        ``file name -> expected sha256``; files listed are verified.
    timeout : float
        Seconds per connection / read.

    Returns
    -------
    list of Path
        Downloaded files, in source order.

    Raises
    ------
    FetchError
        On the first file that fails (files completed before it stay, complete).
    """
    base = source_url(what, base_url)
    checksums = checksums or {}
    out: list[Path] = []
    for alternatives in SOURCES[what].files:
        for i, name in enumerate(alternatives):
            url = urllib.parse.urljoin(base, urllib.parse.quote(name))
            try:
                path, _ = fetch_file(url, Path(dest_dir) / name,
                                     expected_sha256=checksums.get(name), progress=progress,
                                     timeout=timeout)
            except FetchError as exc:
                cause = exc.__cause__
                missing = isinstance(cause, urllib.error.HTTPError) and cause.code == 404
                if missing and i + 1 < len(alternatives):
                    continue
                raise
            out.append(path)
            break
    return out
