#!/usr/bin/env bash
# Build the wheel, install it in a clean venv and check what a user gets: compiled
# catalogs, py.typed, the CLI, and Vietnamese output from the installed package.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m pip wheel --no-deps -q -w "$tmp/dist" .
wheel=$(ls "$tmp"/dist/learnsoc-*.whl)
"$PY" -m zipfile -l "$wheel" > "$tmp/contents.txt"
for f in learnsoc/py.typed learnsoc/locale/vi/LC_MESSAGES/learnsoc.mo learnsoc/locale/en/LC_MESSAGES/learnsoc.mo \
    learnsoc/data/rulebooks/vn-national.toml learnsoc/data/targets/hanoi-23-nq-tu.toml; do
  grep -q "$f" "$tmp/contents.txt" || { echo "wheel is missing $f"; exit 1; }
done
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "$wheel"
cd "$tmp"
"$tmp/venv/bin/learnsoc" demo --persons 3000 --locale vi > "$tmp/demo.txt"
grep -q "Tháp tuổi" "$tmp/demo.txt"
grep -q "Gia đình học tập" "$tmp/demo.txt"
"$tmp/venv/bin/python" -m learnsoc --version
"$tmp/venv/bin/python" -c "import learnsoc.i18n as i; import importlib.resources as r; assert (r.files('learnsoc')/'locale'/'vi'/'LC_MESSAGES'/'learnsoc.mo').is_file(); assert i.gettext('village', 'vi') == 'cấp thôn, tổ dân phố'"
echo "wheel ok: $(basename "$wheel")"
