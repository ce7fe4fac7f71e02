"""Pillow peer for scripts/bench.sh: 100x100 fit and cover, JPEG q80, in one process.

Usage: bench_pillow.py PHOTOS_DIR OUT_DIR WARMUP PASSES
Fit is Pillow's own thumbnail() (DCT draft to >= 2x, reducing_gap=2, BICUBIC), then the EXIF orientation.
Cover drafts so the short side stays >= 200 px, applies the orientation, then ImageOps.fit (BICUBIC).
Prints fit_ms=, cover_ms= (median pass, per image) and writes the fit thumbnails to OUT_DIR/<stem>.jpg.
"""
import io
import os
import statistics
import sys
import time

from PIL import Image, ImageOps


def fit(path):
    with Image.open(path) as im:
        im.thumbnail((100, 100))
        im = ImageOps.exif_transpose(im)
        out = io.BytesIO()
        im.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()


def cover(path):
    with Image.open(path) as im:
        short = min(im.size)
        im.draft("RGB", (im.size[0] * 200 // short, im.size[1] * 200 // short))
        im = ImageOps.exif_transpose(im)
        im = ImageOps.fit(im, (100, 100))
        out = io.BytesIO()
        im.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()


def median_ms(func, files, warmup, passes):
    for _ in range(warmup):
        for f in files:
            func(f)
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for f in files:
            func(f)
        times.append((time.perf_counter() - start) * 1000 / len(files))
    return statistics.median(times)


def main():
    photos, out_dir, warmup, passes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    files = sorted(os.path.join(photos, f) for f in os.listdir(photos) if f.lower().endswith(".jpg"))
    os.makedirs(out_dir, exist_ok=True)
    print("fit_ms=%.2f" % median_ms(fit, files, warmup, passes))
    print("cover_ms=%.2f" % median_ms(cover, files, warmup, passes))
    for f in files:
        stem = os.path.splitext(os.path.basename(f))[0]
        with open(os.path.join(out_dir, stem + ".jpg"), "wb") as out:
            out.write(fit(f))


if __name__ == "__main__":
    main()
