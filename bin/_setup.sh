# shellcheck shell=bash
# Shared by bin/serve and bin/test (sourced, not run): go to the project root, make
# sure .venv exists with Python >= 3.11 and holds the project with its dev extras.
#
# The install is skipped when pyproject.toml has not changed since the last one: a
# stamp .venv/.installed-<sha256 of pyproject.toml> records it. Delete the stamp (or
# .venv) to force a reinstall.
#
# PYTHON chooses the interpreter that creates .venv (default: python3).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
VENV_PYTHON="$VENV/bin/python"

# Colours only on a terminal (CI logs stay plain); RED/GREEN are used by bin/test.
# shellcheck disable=SC2034
if [[ -t 2 ]]; then BOLD=$'\033[1m' RED=$'\033[1;31m' GREEN=$'\033[1;32m' RESET=$'\033[0m'; else BOLD='' RED='' GREEN='' RESET=''; fi
say() { printf '%s==> %s%s\n' "$BOLD" "$*" "$RESET" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# True when the given interpreter is Python 3.11 or newer.
_python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; }
_python_version() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo "?"; }

_ensure_venv() {
    local python="${PYTHON:-python3}"
    if [[ ! -e "$VENV" ]]; then
        command -v "$python" >/dev/null 2>&1 \
            || die "找不到 Python 解释器 '$python'。/ Python interpreter '$python' not found; install Python 3.11+ or set PYTHON=/path/to/python3.11."
        _python_ok "$python" \
            || die "需要 Python 3.11 或更高版本，'$python' 是 $(_python_version "$python")。/ Python 3.11+ is required, '$python' is $(_python_version "$python"); set PYTHON=/path/to/python3.11 (or newer)."
        say "创建虚拟环境 / creating .venv with $python ($(_python_version "$python"))"
        "$python" -m venv "$VENV" \
            || die "python -m venv 失败 / 'python -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)."
    fi
    if ! { [[ -x "$VENV_PYTHON" ]] && "$VENV_PYTHON" -c 'pass' 2>/dev/null; }; then
        die ".venv 已损坏 / .venv is broken (no working .venv/bin/python): remove it (rm -rf .venv) and run again."
    fi
    _python_ok "$VENV_PYTHON" \
        || die ".venv 的 Python 是 $(_python_version "$VENV_PYTHON")，需要 3.11+ / .venv was made with Python $(_python_version "$VENV_PYTHON"), 3.11+ is required: remove it (rm -rf .venv) and run again with PYTHON=python3.11."
}

_ensure_installed() {
    local digest stamp
    digest="$("$VENV_PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' pyproject.toml)"
    stamp="$VENV/.installed-$digest"
    if [[ -e "$stamp" ]]; then
        return 0
    fi
    say "安装依赖 / installing the project and its dev dependencies (pip install -e .[dev])"
    "$VENV_PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[dev]" \
        || die "pip install 失败，见上方输出 / pip install failed, see the output above (no network? set PIP_INDEX_URL to a reachable mirror)."
    rm -f "$VENV"/.installed-*
    : >"$stamp"
}

_ensure_venv
_ensure_installed
