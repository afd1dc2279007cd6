#!/usr/bin/env bash
# The logic of the contract-guard composite action, one subcommand per step:
#
#   run.sh cache-key   outputs `key` (OS, arch, install mode, hash of the source) and `root`
#   run.sh install     installs cargo-contract-guard into `root` (unless restored) and puts it on PATH
#   run.sh check       `check --locked` as annotations; SARIF when it can and may be uploaded
#   run.sh diff        on pull requests: each contract's spec against the base branch
#   run.sh gate        fails the job on drift, on a spec change at or above `fail-on`, or on an error
#
# Inputs arrive as environment variables (INPUT_*), never pasted into the script, so a value
# is data whatever it contains. Paths in annotations and SARIF are made relative to the git
# repository (the tool names them relative to the cargo workspace, which `working-directory`
# may put in a subfolder). Runs under GitHub Actions and in this repository's tests, which
# set the same variables (GITHUB_OUTPUT, RUNNER_TEMP, ...).
set -euo pipefail

ACTION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

# Text made safe as the message of a workflow command: an input echoed in it cannot start a
# command of its own on a new line.
escape_data() {
    local text="$*"
    text="${text//%/%25}"
    text="${text//$'\r'/%0D}"
    text="${text//$'\n'/%0A}"
    printf '%s' "$text"
}

# A workflow error command on stderr (functions whose stdout is captured fail too), exit 2.
fail() {
    echo "::error::$(escape_data "$*")" >&2
    exit 2
}

output() {
    echo "$1=$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

# The root of the cargo workspace that `working-directory` is in.
workspace_root() {
    local dir="${INPUT_WORKING_DIRECTORY:-.}" manifest
    [[ -d "$dir" ]] || fail "working-directory '$dir' is not a directory"
    manifest="$(cd "$dir" && cargo locate-project --workspace --message-format plain)" ||
        fail "no cargo workspace at working-directory '$dir'"
    (cd "$(dirname "$manifest")" && pwd -P)
}

# The workspace root relative to the top of its git repository, with a trailing `/` (empty at
# the top). Compared after resolving symlinks, so the prefix is never `../…`.
repo_prefix() {
    local root="$1" top
    top="$(git -C "$root" rev-parse --show-toplevel)" || fail "'$root' is not in a git repository"
    top="$(cd "$top" && pwd -P)"
    if [[ "$root" == "$top" ]]; then
        echo ""
    elif [[ "$root" == "$top"/* ]]; then
        echo "${root#"$top"/}/"
    else
        fail "the cargo workspace '$root' is outside the git repository '$top'"
    fi
}

# Workflow commands on stdin with `file=` prefixed (the prefix escaped as a property value).
prefix_annotations() {
    local prefix="$1" line
    prefix="$(escape_data "$prefix")"
    prefix="${prefix//:/%3A}"
    prefix="${prefix//,/%2C}"
    while IFS= read -r line || [[ -n "$line" ]]; do
        case "$line" in
            ::error\ file=* | ::warning\ file=* | ::notice\ file=*)
                printf '%s\n' "${line%%file=*}file=${prefix}${line#*file=}"
                ;;
            *) printf '%s\n' "$line" ;;
        esac
    done
}

# A SARIF file with every artifact URI prefixed (each segment percent-encoded).
prefix_sarif() {
    local file="$1" prefix="$2"
    jq --arg p "$prefix" '
        ($p | split("/") | map(@uri) | join("/")) as $prefix
        | (.. | objects | select(has("artifactLocation")) | .artifactLocation.uri) |= ($prefix + .)
    ' "$file" >"$file.tmp"
    mv "$file.tmp" "$file"
}

# Whether a SARIF upload can work: not on pull requests from forks or Dependabot, whose token
# is read-only.
upload_allowed() {
    [[ "${GITHUB_EVENT_NAME:-}" == pull_request ]] || return 0
    [[ "${GITHUB_ACTOR:-}" != "dependabot[bot]" ]] || return 1
    local head
    head="$(jq -r '.pull_request.head.repo.full_name // ""' "${GITHUB_EVENT_PATH:?}")"
    [[ -n "$head" && "$head" == "${GITHUB_REPOSITORY:-}" ]]
}

cache_key() {
    local mode="${INPUT_INSTALL:-source}" hash
    case "$mode" in
        none) output key "" && return ;;
        source) hash="$(source_hash "$ACTION_DIR/../../../cargo-contract-guard")" ;;
        path:*) hash="$(source_hash "${mode#path:}")" ;;
        crates-io) hash="crates-io-$(printf '%s' "${INPUT_VERSION:-latest}" | sha256 | cut -c1-16)" ;;
        *) fail "unknown install mode '$mode' (source, path:<dir>, crates-io or none)" ;;
    esac
    output key "cargo-contract-guard-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$hash"
    output root "${RUNNER_TEMP:?}/cargo-contract-guard"
}

sha256() {
    if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

# SHA-256 of the files a build of the crate at `$1` can read: the manifests, lock files and
# Rust sources of its cargo workspace (paths relative to it, in a fixed order).
source_hash() {
    [[ -d "$1" ]] || fail "install source '$1' is not a directory"
    local manifest
    manifest="$(cd "$1" && cargo locate-project --workspace --message-format plain)" ||
        fail "install source '$1' is not in a cargo workspace"
    (
        cd "$(dirname "$manifest")"
        find . -name target -prune -o -type f \( -name '*.rs' -o -name 'Cargo.toml' -o -name 'Cargo.lock' \) -print |
            LC_ALL=C sort | while IFS= read -r file; do sha256 "$file"; done | sha256 | cut -c1-32
    )
}

install() {
    local mode="${INPUT_INSTALL:-source}" root="${INSTALL_ROOT:-${RUNNER_TEMP:?}/cargo-contract-guard}"
    if [[ "$mode" == none ]]; then
        command -v cargo-contract-guard >/dev/null || fail "install is 'none' but cargo-contract-guard is not on PATH"
        return
    fi
    if [[ "${CACHE_HIT:-}" == true && -x "$root/bin/cargo-contract-guard" ]]; then
        echo "cargo-contract-guard restored from the cache"
    else
        case "$mode" in
            source) cargo install --locked --root "$root" --path "$ACTION_DIR/../../../cargo-contract-guard" ;;
            path:*) cargo install --locked --root "$root" --path "${mode#path:}" ;;
            crates-io) cargo install --locked --root "$root" cargo-contract-guard ${INPUT_VERSION:+--version "$INPUT_VERSION"} ;;
            *) fail "unknown install mode '$mode' (source, path:<dir>, crates-io or none)" ;;
        esac
    fi
    echo "$root/bin" >>"${GITHUB_PATH:?}"
}

check() {
    local root prefix code sarif="${RUNNER_TEMP:?}/contract-guard.sarif"
    root="$(workspace_root)"
    prefix="$(repo_prefix "$root")"
    cd "$root"
    code=0
    cargo contract-guard check --locked --message-format github >"$RUNNER_TEMP/contract-guard.annotations" || code=$?
    prefix_annotations "$prefix" <"$RUNNER_TEMP/contract-guard.annotations"
    output code "$code"
    rm -f "$sarif"
    [[ "${INPUT_SARIF:-true}" == true ]] || return 0
    code=0
    # The same check again, for the file: what it says on stderr, the run above said already.
    cargo contract-guard check --locked --message-format sarif >"$sarif" 2>/dev/null || code=$?
    # Exit 2: the check could not complete, so the file is not a report of this commit.
    if [[ "$code" != 0 && "$code" != 1 ]] || ! jq -e '.runs' "$sarif" >/dev/null 2>&1; then
        rm -f "$sarif"
        echo "::warning::no SARIF uploaded: cargo contract-guard check could not complete (exit $code)"
        return 0
    fi
    prefix_sarif "$sarif" "$prefix"
    if upload_allowed; then
        output sarif-file "$sarif"
    else
        echo "::notice::SARIF not uploaded: the token of a pull request from a fork or Dependabot is read-only"
    fi
}

diff_specs() {
    local root prefix top base_dir spec base code=0 rc=0 fail_on="${INPUT_FAIL_ON:-security}" ref="${INPUT_BASE_REF:-}"
    case "$fail_on" in security | breaking | warning) ;; *) fail "fail-on must be security, breaking or warning, not '$fail_on'" ;; esac
    git check-ref-format --branch "$ref" >/dev/null 2>&1 || fail "base-ref '$ref' is not a branch name"
    root="$(workspace_root)"
    prefix="$(repo_prefix "$root")"
    top="${root%"/${prefix%/}"}"
    cd "$root"
    git fetch --no-tags --depth=1 origin "$ref" || fail "could not fetch base-ref '$ref' from origin"
    # The base branch's whole tree, so that specs spanning several files are compared whole.
    base_dir="$RUNNER_TEMP/contract-guard-base"
    rm -rf "$base_dir" && mkdir -p "$base_dir"
    git -C "$top" archive FETCH_HEAD | tar -x -C "$base_dir"
    # Exit 1 is drift (the list is still whole); anything else means no list to diff.
    cargo contract-guard status --message-format json >"$RUNNER_TEMP/contract-guard.status" || rc=$?
    [[ "$rc" == 0 || "$rc" == 1 ]] || fail "cargo contract-guard status could not complete (exit $rc)"
    jq -r 'select(.type == "contract") | .spec' "$RUNNER_TEMP/contract-guard.status" | LC_ALL=C sort -u >"$RUNNER_TEMP/contract-guard.specs"
    while IFS= read -r spec; do
        base="$base_dir/$prefix$spec"
        if [[ ! -f "$base" ]]; then
            printf '::notice file=%s::new contract spec (not on %s)\n' "$spec" "$ref" | prefix_annotations "$prefix"
            continue
        fi
        rc=0
        cargo contract-guard diff "$base" "$spec" --fail-on "$fail_on" --message-format markdown \
            >>"${GITHUB_STEP_SUMMARY:?}" </dev/null || rc=$?
        # Exit 3: a side is Swagger 2.0, which is pinned and checked but not diffed.
        if [[ "$rc" == 3 ]]; then
            printf '::notice file=%s::not diffed: Swagger 2.0 specs are pinned and checked, not diffed (convert to OpenAPI 3.0 or 3.1 to get diffs)\n' "$spec" |
                prefix_annotations "$prefix"
            continue
        fi
        # 1: a change at or above fail-on; 2 (could not compare) wins over it.
        if ((rc > code)); then code=$((rc > 2 ? 2 : rc)); fi
        # The same changes as annotations on the spec's lines in the pull request.
        { cargo contract-guard diff "$base" "$spec" --fail-on "$fail_on" --message-format github </dev/null || true; } |
            prefix_annotations "$prefix"
    done <"$RUNNER_TEMP/contract-guard.specs"
    output code "$code"
}

gate() {
    case "${CHECK_CODE:-}" in
        0) ;;
        1) echo "::error::cargo contract-guard check found drift (exit 1)" && exit 1 ;;
        *) echo "::error::cargo contract-guard check could not complete (exit ${CHECK_CODE:-none})" && exit 1 ;;
    esac
    case "${DIFF_CODE:-}" in
        "" | 0) ;;
        1) echo "::error::$(escape_data "a spec change at or above '${INPUT_FAIL_ON:-security}' needs review (see the job summary)")" && exit 1 ;;
        *) echo "::error::cargo contract-guard diff could not compare a spec with the base branch (exit $DIFF_CODE)" && exit 1 ;;
    esac
}

case "${1:-}" in
    cache-key) cache_key ;;
    install) install ;;
    check) check ;;
    diff) diff_specs ;;
    gate) gate ;;
    *) fail "usage: run.sh cache-key|install|check|diff|gate" ;;
esac
