"""Benchmark: exporting a distribution list of 5,000 recipients (targets: XLSX < 5 s, labels
PDF < 15 s).

    .venv/bin/python bench/distribution_export.py [--recipients N] [--runs N]

The recipients (in 60 groups under 6 top-level groups, with addresses, postcodes, contacts and
1–3 copies) are created in a fresh SQLite database in a temporary folder. Each export is made
once to warm up (fonts, WeasyPrint's import), then timed N times from the database query to the
finished file (what the admin page and the command pay). Exits non-zero when a median misses
its target.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"xlsx": 5.0, "labels": 15.0}
CITIES = ["南宁", "柳州", "桂林", "梧州", "北海", "防城港", "钦州", "贵港", "玉林", "百色"]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["BULLETIN_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-distribution-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bulletin.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_list(count):
    from people.models import Recipient, RecipientGroup

    groups = []
    for top in range(6):
        parent = RecipientGroup.objects.create(name=f"第{top + 1}类发送单位")
        for child in range(10):
            groups.append(
                RecipientGroup.objects.create(
                    name=f"{CITIES[child]}市各有关单位{top}", parent=parent
                )
            )
    Recipient.objects.bulk_create(
        Recipient(
            group=groups[index % len(groups)],
            addressee=f"{CITIES[index % 10]}市政协第{index}办公室",
            copies=1 + index % 3,
            postal_address=f"广西壮族自治区{CITIES[index % 10]}市青秀区民族大道{index}号政协大楼",
            postcode=f"{530000 + index % 10000:06d}",
            contact=f"联系人{index % 97}",
            phone=f"0771-{5000000 + index}",
            order=index % 5,
        )
        for index in range(count)
    )


def measure(fmt, runs):
    from people import exports

    def once():
        rows = exports.current_rows()
        return rows, exports.export(rows, fmt)

    once()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows, content = once()
        times.append(time.perf_counter() - started)
    detail = f"{len(rows)} recipients"
    if fmt == "labels":
        from pypdf import PdfReader

        detail += f", {len(PdfReader(io.BytesIO(content)).pages)} pages"
    median, worst = statistics.median(times), max(times)
    target = TARGETS[fmt]
    verdict = "ok" if median < target else "MISSED"
    print(
        f"{fmt:7} {detail}, {len(content) / 1e6:5.2f} MB: median {median:6.2f} s, "
        f"max {worst:6.2f} s (target < {target:.0f} s, {runs} runs) {verdict}"
    )
    return median < target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    make_list(args.recipients)
    ok = measure("xlsx", args.runs)
    ok = measure("labels", args.runs) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
