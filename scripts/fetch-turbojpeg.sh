#!/usr/bin/env bash
# Puts libjpeg-turbo's Java binding into the resize image: downloads Debian's libturbojpeg0 and
# libturbojpeg-java packages with apt and unpacks exactly the two files the image engine looks for into
# functions/resize/target/turbojpeg-root (Jib copies that folder into the image as it is):
#   /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0   (libturbojpeg0; depends only on libc)
#   /usr/share/java/turbojpeg.jar                 (libturbojpeg-java)
# Needs a Debian or Ubuntu host with apt; the packages must not be newer than the image's base, Debian 13 "trixie"
# (gcr.io/distroless/java-base-debian13), or the library may need a newer libc than the image has. Without this
# step the image has no TurboJPEG and the engine decodes in pure Java (slower, same output).
# Usage: scripts/fetch-turbojpeg.sh [--any-release] [--dry-run] [--help]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

any_release=0
while [ $# -gt 0 ]; do
  case "$1" in
    --any-release) any_release=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

need apt-get "This step needs a Debian/Ubuntu build host (or run it in a debian:bookworm container)."
need dpkg-deb "This step needs a Debian/Ubuntu build host."
codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-unknown}")"
if [ "$codename" != bookworm ] && [ "$codename" != trixie ] && [ "$any_release" != 1 ] && [ "$DRY_RUN" != 1 ]; then
  die "this host is '$codename', the image is Debian trixie: its libturbojpeg may need a newer libc. Run on bookworm or trixie, or pass --any-release to take the risk."
fi

root="$(repo_root)"
target="$root/functions/resize/target/turbojpeg-root"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "downloading libturbojpeg0 and libturbojpeg-java ($codename)"
(cd "$work" && run apt-get download libturbojpeg0 libturbojpeg-java)
step "unpacking into $target"
run rm -rf "$target"
for deb in "$work"/*.deb; do
  [ -e "$deb" ] || { [ "$DRY_RUN" = 1 ] && break; die "apt-get download produced no .deb"; }
  run dpkg-deb -x "$deb" "$work/root"
done
if [ "$DRY_RUN" != 1 ]; then
  mkdir -p "$target/usr/lib/x86_64-linux-gnu" "$target/usr/share/java"
  # -L: the image gets the real files under the names the engine loads (the packages ship symlinks).
  cp -L "$work/root/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0" "$target/usr/lib/x86_64-linux-gnu/"
  cp -L "$work/root/usr/share/java/turbojpeg.jar" "$target/usr/share/java/"
  chmod 0644 "$target/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0" "$target/usr/share/java/turbojpeg.jar"
  find "$target" -type f -exec ls -l {} +
fi
step "done: build the images with JDK25_HOME=<a JDK 25> ./mvnw -B -Pimages -DskipTests verify"
