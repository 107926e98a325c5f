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

# The Debian mirror this machine already uses (deb822 or one-line format), so no host name is written here.
debian_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
  fi
  echo "$uri"
}

# SQLCipher 4.6 (libsqlcipher.so.1, SQLite 3.46 with FTS5) comes from bookworm-backports; plain
# bookworm only has 3.4 on SQLite 3.15, which lacks FTS5 and RETURNING.
ensure_sqlcipher() {
  if ldconfig -p 2>/dev/null | grep -q 'libsqlcipher.so.1 ' && \
     dpkg-query -W -f='${Version}' libsqlcipher1 2>/dev/null | grep -q '^4\.'; then
    return 0
  fi
  local mirror
  mirror=$(debian_mirror)
  if [ -z "$mirror" ]; then
    echo "warning: no Debian mirror found in /etc/apt sources; cannot add bookworm-backports for libsqlcipher1" >&2
    return 1
  fi
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" \
      > /etc/apt/sources.list.d/docstore-backports.sources
    unset DOCSTORE_APT_UPDATED
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "warning: not root; cannot install libsqlcipher1 from bookworm-backports" >&2
    return 1
  fi
  apt-get update -qq >/dev/null || true
  export DOCSTORE_APT_UPDATED=1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports libsqlcipher1 >/dev/null
}

ensure_system_packages() {
  # Real text for the relevance test and the benchmarks: the PostgreSQL manual as HTML pages.
  if [ ! -d /usr/share/doc/postgresql-doc-15/html ]; then
    apt_install postgresql-doc-15 || echo "warning: postgresql-doc-15 could not be installed; the relevance test will fail and say so." >&2
  fi
  # The Notes app's browser test drives Debian's headless Chromium through chromedriver; its load run uses wrk.
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver || echo "warning: chromium could not be installed; the browser test will fail and say so." >&2
  fi
  if ! command -v wrk >/dev/null 2>&1; then
    apt_install wrk || echo "warning: wrk could not be installed; scripts/load-test.sh needs it." >&2
  fi
  # Encryption tests need SQLCipher; if it cannot be installed they fail with instructions (never skipped).
  ensure_sqlcipher || echo "warning: libsqlcipher1 could not be installed; the encryption tests will fail and say how to install it." >&2
}
