#!/usr/bin/env bash
# Benchmarks the image engine against the thumbnailers installed on this machine (issue 4).
#
#   scripts/bench.sh [PHOTOS_DIR]      default: ../shared/testdata/photos beside the checkout
#
# Everything runs single-threaded on one core (taskset -c $BENCH_CPU, default 1) after a warm-up: 100x100 fit and
# cover, JPEG q80, over every JPEG in PHOTOS_DIR. Ours and Pillow take turns for $BENCH_ROUNDS rounds (default 3). Prints ms/image and images/s for ours and each peer found
# (Pillow with draft, vipsthumbnail, ImageMagick with -define jpeg:size), mean PSNR of the fit thumbnails against
# a full-decode + orientation + Lanczos-3 reference, our peak heap on the largest photo under -Xmx48m, and the
# 280 MP edge JPEG with a raised pixel limit (under -Xmx64m) and with the default one, and what each rendition operation
# (issue 13) adds to a cover. Installs nothing: it says
# which peers it found. The last line is machine-readable (issue 4).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

photos=${1:-../shared/testdata/photos}
giant=$(dirname "$photos")/edge/giant_20000x14000_gray.jpg
cpu=${BENCH_CPU:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export VIPS_CONCURRENCY=1 MAGICK_THREAD_LIMIT=1 OMP_NUM_THREADS=1

[ -d "$photos" ] || { echo "no photos at $photos (pass a directory of JPEGs)" >&2; exit 2; }
mapfile -t files < <(find "$photos" -maxdepth 1 -iname '*.jpg' | sort)
largest=$(find "$photos" -maxdepth 1 -iname '*.jpg' -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
echo "photos: ${#files[@]} JPEGs in $photos; largest $(basename "$largest"); pinned to CPU $cpu"

# The Java side lives in the image module's test sources (compiled by ./mvnw verify, never run by it).
./mvnw -B -q test-compile dependency:build-classpath -pl functions/image -am -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="functions/image/target/classes:functions/image/target/test-classes:$(cat "$work/cp.txt")"
bench() { taskset -c "$cpu" java -XX:+UseSerialGC "$@" 2>/dev/null; }
value() { sed -n "s/^$1=//p" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "" || b == "NA" || b == 0) print "NA"; else printf "%.2f", a / b }'; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a + b) / 2 }'; }

python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import PIL' 2>/dev/null; then python=$candidate; break; fi
done
if [ -n "$python" ]; then
  echo "found Pillow $("$python" -c 'import PIL; print(PIL.__version__)') ($python)"
else
  echo "Pillow not found (Debian: python3-pil); skipped"
fi

# The in-process tools take turns, $rounds rounds, so load from other processes hits both alike; each round
# reports its median pass, and the median round counts.
rounds=${BENCH_ROUNDS:-3}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ours_fits=() ours_covers=() pillow_fits=() pillow_covers=()
for _ in $(seq "$rounds"); do
  out=$(bench -cp "$cp" io.github.knthumbnails.image.EngineBench speed "$photos" "$work/ours" 3 5)
  decoder=$(echo "$out" | value decoder)
  ours_fits+=("$(echo "$out" | value fit_ms)")
  ours_covers+=("$(echo "$out" | value cover_ms)")
  if [ -n "$python" ]; then
    out=$(taskset -c "$cpu" "$python" scripts/bench_pillow.py "$photos" "$work/pillow" 2 5)
    pillow_fits+=("$(echo "$out" | value fit_ms)")
    pillow_covers+=("$(echo "$out" | value cover_ms)")
  fi
done
echo "ours: $decoder"
echo "rounds (fit/cover ms): ours ${ours_fits[*]} / ${ours_covers[*]}${python:+; pillow ${pillow_fits[*]} / ${pillow_covers[*]}}"
ours_fit=$(median "${ours_fits[@]}")
ours_cover=$(median "${ours_covers[@]}")
ours_ms=$(mean "$ours_fit" "$ours_cover")
dirs=("$work/ours")
pillow_ms=NA
pillow_fit=NA
pillow_cover=NA
if [ -n "$python" ]; then
  pillow_fit=$(median "${pillow_fits[@]}")
  pillow_cover=$(median "${pillow_covers[@]}")
  pillow_ms=$(mean "$pillow_fit" "$pillow_cover")
  dirs+=("$work/pillow")
fi

# CLI peers: one process over all photos x 3, best of 3 runs; per image = wall time / (3 x photos).
cli_ms() {
  local best=""
  for _ in 1 2 3; do
    local start end ms
    start=$(date +%s%N)
    taskset -c "$cpu" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    ms=$(awk -v t=$((end - start)) -v n=$((3 * ${#files[@]})) 'BEGIN { printf "%.2f", t / 1e6 / n }')
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$ms; fi
  done
  echo "$best"
}
three=("${files[@]}" "${files[@]}" "${files[@]}")
vips_fit=NA
vips_cover=NA
vips_attention=NA
if command -v vipsthumbnail >/dev/null; then
  echo "found $(vipsthumbnail --vips-version 2>/dev/null | head -n 1)"
  mkdir -p "$work/vips" "$work/vips-cover"
  vips_fit=$(cli_ms vipsthumbnail -s 100x100 -o "$work/vips/%s.jpg[Q=80,strip]" "${three[@]}")
  vips_cover=$(cli_ms vipsthumbnail -s 100x100 --smartcrop centre -o "$work/vips-cover/%s.jpg[Q=80,strip]" "${three[@]}")
  vips_attention=$(cli_ms vipsthumbnail -s 100x100 --smartcrop attention -o "$work/vips-cover/%s.jpg[Q=80,strip]" "${three[@]}")
  dirs+=("$work/vips")
else
  echo "vipsthumbnail not found (Debian: libvips-tools); skipped"
fi
magick_fit=NA
magick_cover=NA
if command -v mogrify >/dev/null; then
  echo "found $(mogrify -version | head -n 1)"
  mkdir -p "$work/magick" "$work/magick-cover"
  magick_fit=$(cli_ms mogrify -path "$work/magick" -format jpg -define jpeg:size=200x200 -auto-orient \
    -thumbnail 100x100 -quality 80 -strip "${three[@]}")
  magick_cover=$(cli_ms mogrify -path "$work/magick-cover" -format jpg -define jpeg:size=200x200 -auto-orient \
    -thumbnail '100x100^' -gravity center -extent 100x100 -quality 80 -strip "${three[@]}")
  dirs+=("$work/magick")
else
  echo "ImageMagick (mogrify) not found (Debian: imagemagick); skipped"
fi

psnr=$(java -cp "$cp" io.github.knthumbnails.image.EngineBench psnr "$photos" "${dirs[@]}" 2>/dev/null)
psnr_of() { echo "$psnr" | sed -n "s/^psnr\[$1\]=\([0-9.]*\).*/\1/p"; }
psnr_ours=$(psnr_of ours)
psnr_pillow=$(psnr_of pillow)

echo
printf '%-14s %9s %9s %9s %8s %12s %9s\n' tool fit_ms cover_ms mean_ms img/s ours/tool psnr_dB
row() {
  local ms=NA rate=NA versus=NA
  if [ "$2" != NA ]; then
    ms=$(mean "$2" "$3")
    rate=$(awk -v m="$ms" 'BEGIN { printf "%.1f", 1000 / m }')
    versus=$(ratio "$ours_ms" "$ms")
  fi
  printf '%-14s %9s %9s %9s %8s %12s %9s\n' "$1" "$2" "$3" "$ms" "$rate" "$versus" "${4:-NA}"
}
row ours "$ours_fit" "$ours_cover" "$psnr_ours"
row pillow "$pillow_fit" "$pillow_cover" "$psnr_pillow"
row vipsthumbnail "$vips_fit" "$vips_cover" "$(psnr_of vips)"
row imagemagick "$magick_fit" "$magick_cover" "$(psnr_of magick)"
echo "(CLI peers include process start-up spread over $((3 * ${#files[@]})) images; PSNR is on the fit thumbnails)"

echo
heap=$(bench -Xmx48m -cp "$cp" io.github.knthumbnails.image.EngineBench heap "$largest" 30 50000000)
heap_mb=$(echo "$heap" | value peak_heap_mb)
echo "largest photo $(basename "$largest") under -Xmx48m: $(echo "$heap" | value outcome)," \
  "peak heap $heap_mb MB (idle $(echo "$heap" | value idle_heap_mb) MB), median $(echo "$heap" | value median_ms) ms"
if [ -f "$giant" ]; then
  giant_out=$(bench -Xmx64m -cp "$cp" io.github.knthumbnails.image.EngineBench heap "$giant" 5 300000000)
  echo "280 MP JPEG, limit raised, -Xmx64m: $(echo "$giant_out" | value outcome), first $(echo "$giant_out" | value first_ms) ms," \
    "median $(echo "$giant_out" | value median_ms) ms, peak heap $(echo "$giant_out" | value peak_heap_mb) MB"
  giant_out=$(bench -Xmx64m -cp "$cp" io.github.knthumbnails.image.EngineBench heap "$giant" 20 50000000)
  echo "280 MP JPEG, default limit: $(echo "$giant_out" | value outcome), median $(echo "$giant_out" | value median_ms) ms"
fi
# Issue 13: what each rendition operation adds to a 100x100 centre cover; vipsthumbnail's attention crop beside it.
ops=$(bench -cp "$cp" io.github.knthumbnails.image.EngineBench ops "$photos" 3 11)
echo "rendition operations, extra ms per 100x100 cover ($(echo "$ops" | value cover_ms) ms):" \
  "gravity=smart $(echo "$ops" | value smart_extra_ms), grayscale $(echo "$ops" | value grayscale_extra_ms)," \
  "blur=2 $(echo "$ops" | value blur2_extra_ms); vipsthumbnail --smartcrop attention" \
  "$(awk -v a="$vips_attention" -v c="$vips_cover" 'BEGIN { if (a == "NA") print "NA"; else printf "%+.2f", a - c }')"
echo "ours_ms=$ours_ms pillow_ms=$pillow_ms ratio_vs_pillow=$(ratio "$ours_ms" "$pillow_ms") psnr_ours=$psnr_ours psnr_pillow=${psnr_pillow:-NA} heap_mb_12mp=$heap_mb"
