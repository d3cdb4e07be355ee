"""Compares `cleft spark classify --format json` rows with `cleft classify --json`, file by file.

    python3 .ci/compare-spark.py SPARK_JSON_FOLDER CLASSIFY_JSON CORRUPT_NAME...

Every file has one row; a row has its error set exactly when the file's name is one of CORRUPT_NAME; the other
rows predict what cleft classify predicts, with probabilities within 1e-5.
"""
import glob
import json
import os
import sys
from urllib.parse import urlparse

spark_dir, classify_json, corrupt = sys.argv[1], sys.argv[2], set(sys.argv[3:])
rows = {}
for part in glob.glob(os.path.join(spark_dir, "part-*.json")):
    with open(part) as f:
        for line in f:
            row = json.loads(line)
            path = os.path.realpath(urlparse(row["path"]).path if row["path"].startswith("file:") else row["path"])
            if path in rows:
                sys.exit(f"spark: {path} has two rows")
            rows[path] = row
with open(classify_json) as f:
    single = json.load(f)
classes = single["classes"]
expected = {os.path.realpath(r["image"]): r for r in single["results"]}
failures = []
for path, row in sorted(rows.items()):
    name = os.path.basename(path)
    if name in corrupt:
        if not row.get("error"):
            failures.append(f"{path}: corrupt, but its row has no error")
        continue
    if row.get("error"):
        failures.append(f"{path}: error {row['error']}")
        continue
    want = expected.get(path)
    if want is None:
        failures.append(f"{path}: not classified by cleft classify")
        continue
    if row["predicted"] != want["predicted"]:
        failures.append(f"{path}: spark predicts {row['predicted']}, classify {want['predicted']}")
    worst = max(abs(p - want["probabilities"][c]) for p, c in zip(row["probabilities"], classes))
    if worst > 1e-5:
        failures.append(f"{path}: probabilities differ by {worst:.3g}")
missing = set(expected) - set(rows)
failures += [f"{p}: classified by cleft classify, no spark row" for p in sorted(missing)]
found = {os.path.basename(p) for p, r in rows.items() if r.get("error")}
if found != corrupt:
    failures.append(f"rows with an error: {sorted(found)}, expected {sorted(corrupt)}")
if failures:
    sys.exit("cleft spark classify against cleft classify:\n  " + "\n  ".join(failures))
print(f"spark: {len(rows)} rows, errors on exactly {sorted(corrupt)}, predictions equal to cleft classify's "
      f"({len(expected)} files, probabilities within 1e-5)")
