"""The files a command reads and writes, checked before anything is read."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from learnsoc.cli._errors import UsageError, usage
from learnsoc.errors import OptionalDependencyError
from learnsoc.i18n import N_, gettext


def persons_exist(args: argparse.Namespace) -> None:
    """Say first that the folder (or file without an extension) read does not exist.

    Which command runs depends on what the path is (a persons file, a dataset, a results
    folder), so a mistyped ``ketqua/`` was said as what that command then lacked: "a
    report from files needs --rulebook and --as-of", "give the persons file and
    --households", "--out: the name has no extension".
    """
    path = getattr(args, "persons", None)
    # A file's name (nhan_khau.csv) is checked when it is read, after the outputs.
    if isinstance(path, str) and not Path(path).suffix and not Path(path).exists():
        raise usage(N_("{path}: no such file or folder"), path=path)


def existing(path: str | None, option: str) -> str | None:
    if path is not None and not Path(path).is_file():
        raise usage(N_("{option}: no such file: {path}"), option=option, path=path)
    return path


#: The options that name files a command reads (``dest`` names).
_INPUT_DESTS = (
    "persons",
    "households",
    "units",
    "clans",
    "organisations",
    "memberships",
    "mapping",
    "counts",
    "rulebook",
    "targets",
)


def input_paths(args: argparse.Namespace) -> list[str]:
    """Return the files the command reads (a rulebook or target id names no file)."""
    paths = []
    for dest in _INPUT_DESTS:
        value = getattr(args, dest, None)
        if value is None or (dest in ("rulebook", "targets") and not Path(value).is_file()):
            continue
        paths.append(str(value))
    paths.extend(path for _, path in inputs_files(args))
    saved = results_path(args)
    if saved is not None:
        # A report written over the files it is made from would end the results.
        paths.extend(str(saved / name) for name in _RESULTS_FILES)
        paths.extend(str(saved / name) for name in ("units.parquet", "rollup.csv"))
    return paths


def inputs_files(args: argparse.Namespace) -> list[tuple[str | None, str]]:
    """Return ``--inputs`` as (level or None, file) pairs."""
    out: list[tuple[str | None, str]] = []
    for item in getattr(args, "inputs", None) or ():
        level, sep, path = item.partition("=")
        # A file name may hold "=": only a leading identifier (or words: "cấp xã") is a level.
        if sep and level.strip().replace(" ", "").isidentifier() and path.strip():
            out.append((level.strip(), path.strip()))
        else:
            out.append((None, item.strip()))
    return out


def _outputs(args: argparse.Namespace) -> list[tuple[str, str, Mapping[str, str] | None]]:
    """Return (option, path, formats by extension or None for any) for each output."""
    from learnsoc.io.writers import TABLE_FORMATS

    out: list[tuple[str, str, Mapping[str, str] | None]] = []
    if getattr(args, "out", None) and args.command == "evaluate" and dataset_folder(args):
        pass  # a folder: checked by results_folder
    elif getattr(args, "out", None):
        if args.command == "report":
            out.append(("--out", args.out, None if args.format else REPORT_SUFFIXES))
        else:
            out.append(("--out", args.out, TABLE_FORMATS))
    if getattr(args, "rejects", None):
        out.append(("--rejects", args.rejects, TABLE_FORMATS))
    return out


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse bad output files before anything is read or written (exit code 2)."""
    from learnsoc.io.writers import OutputPathError, check_output, output_format, same_file

    outputs = _outputs(args)
    inputs = input_paths(args)
    for i, (option, path, formats) in enumerate(outputs):
        if formats is not None:
            try:
                fmt = output_format(path, formats)
            except OutputPathError as exc:
                hint = gettext(N_(" (or give --format)")) if formats is REPORT_SUFFIXES else ""
                msg = f"{option}: {exc.localized()}{hint}"
                raise UsageError(msg) from None
            if fmt == "parquet":
                needs_pyarrow()
            elif fmt == "xlsx":
                _needs_openpyxl()
        elif Path(path).suffix.lower() == ".xlsx":
            # --format with an Excel name: a text report under that name no program opens.
            raise usage(
                N_("{option}: an .xlsx file is an Excel workbook; leave out --format {format}"),
                option=option,
                format=args.format,
            )
        try:
            check_output(path, inputs)
        except OutputPathError as exc:
            msg = f"{option}: {exc.localized()}"
            raise UsageError(msg) from None
        for other_option, other, _ in outputs[:i]:
            if same_file(path, other):
                raise usage(
                    N_(
                        "{option}: cannot write {path!r}: it is also the {other_option} file "
                        "{other!r}; give each output its own name"
                    ),
                    option=option,
                    path=path,
                    other_option=other_option,
                    other=other,
                )
        writable_folder(option, path)


def needs_pyarrow() -> None:
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise OptionalDependencyError("pyarrow", "parquet", N_("writing Parquet files"))


def _needs_openpyxl() -> None:
    import importlib.util

    if importlib.util.find_spec("openpyxl") is None:
        raise OptionalDependencyError("openpyxl", "excel", N_("writing .xlsx files"))


def writable_folder(option: str, path: str) -> None:
    """Refuse an output whose folder cannot be created or written."""
    folder = Path(path).absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise usage(
            N_("{option}: cannot write {path!r}: {folder!r} is a file, not a folder"),
            option=option,
            path=path,
            folder=str(folder),
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise usage(
            N_("{option}: cannot write {path!r}: the folder {folder!r} is not writable"),
            option=option,
            path=path,
            folder=str(folder),
        )


def dataset_folder(args: argparse.Namespace) -> Path | None:
    """Return the persons argument when it is a dataset folder (it has a manifest)."""
    from learnsoc.io.dataset import MANIFEST
    from learnsoc.scale.results import RESULTS_MANIFEST

    path = getattr(args, "persons", None)
    if path is None or not Path(path).is_dir():
        return None
    if (Path(path) / MANIFEST).is_file():
        return Path(path)
    if results_path(args) is not None:
        raise usage(
            N_(
                "{path}: this folder holds the results of 'learnsoc evaluate', not a "
                "dataset; make reports from it with 'learnsoc report {path}'"
            ),
            path=path,
        )
    raise usage(
        N_(
            "{path}: a folder is read as a dataset written by learnsoc.write_dataset (with "
            "a {manifest}) or as the results of 'learnsoc evaluate DATASET --out FOLDER' "
            "(with a {results}), and this one has neither"
        ),
        path=path,
        manifest=MANIFEST,
        results=RESULTS_MANIFEST,
    )


#: Files of a results folder: one of them without results.json is a damaged one.
_RESULTS_FILES = ("results.json", "standard_counts.parquet", "summary.json", "title_counts.csv")


def results_path(args: argparse.Namespace) -> Path | None:
    """Return the persons argument when it is the results folder of ``evaluate --out``.

    A folder with some of its files but no results.json is one too, damaged: reading it
    says which file is missing.
    """
    from learnsoc.io.dataset import MANIFEST

    path = getattr(args, "persons", None)
    if not isinstance(path, str):  # synth's --persons is a number
        return None
    if not Path(path).is_dir() or (Path(path) / MANIFEST).is_file():
        return None
    if any((Path(path) / name).is_file() for name in _RESULTS_FILES):
        return Path(path)
    return None


def refuse_results_file(args: argparse.Namespace) -> None:
    """Say to give the results folder, not its counts files, where the folder is meant.

    A results folder's ``standard_counts.parquet`` holds each unit's own counts, not a
    table of reported counts; its ``rollup.csv`` the counts of the rulebook's titles,
    which ``rollup --counts`` adds up again but which no standard indicator reads.
    """
    counts = Path(args.counts)
    folder = counts.parent
    if not (folder / "results.json").is_file():
        return
    if counts.name == "standard_counts.parquet" or (
        args.command == "report" and counts.stem == "rollup"
    ):
        raise usage(
            N_(
                "{file} is a file of the results folder {folder}: give the folder itself "
                "('learnsoc {command} {folder}'): it holds the standard counts that command reads"
            ),
            file=args.counts,
            folder=str(folder),
            command=args.command,
        )


#: Options that read data, which a results folder already holds evaluated.
NOT_WITH_RESULTS = (
    "households",
    "units",
    "clans",
    "organisations",
    "memberships",
    "counts",
    "inputs",
    "by",
    "workers",
    "threads",
    "dask",
)


def check_dataset_options(args: argparse.Namespace, folder: Path | None) -> None:
    """Refuse the options a dataset folder does not take, and the runners without one."""
    if folder is None:
        for option in ("workers", "threads", "dask"):
            if getattr(args, option, None) is not None:
                raise usage(
                    N_("--{option} runs the partitions of a dataset folder; give one"),
                    option=option,
                )
        return
    for option in ("households", "units", "clans", "organisations", "memberships"):
        if getattr(args, option, None):
            raise usage(
                N_(
                    "--{option}: a dataset folder holds its own tables; --{option} is not "
                    "read with one"
                ),
                option=option,
            )
    if getattr(args, "by", None):
        raise usage(N_("--by is not supported on a dataset folder yet"))


#: Report formats by the extension of ``report --out`` (without ``--format``).
REPORT_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
}
