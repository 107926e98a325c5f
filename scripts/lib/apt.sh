# Installs the Debian packages the project's tests and benchmarks need, when they are missing.
# Sourced by scripts/test.sh and scripts/bench.sh.

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "warning: not root; cannot apt-get install $*" >&2
    return 1
  fi
  if [ -z "${DOCSTORE_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || true
    export DOCSTORE_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_system_packages() {
  # sqlite3 CLI: used by nothing at run time; kept out. Nothing is required yet.
  :
}
