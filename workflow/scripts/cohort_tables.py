#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cohort tables: concatenate per-sample kitrx tables (variants, clones or regimens) into one TSV.

Each output row is a row of one sample's table with three columns in front, taken from the sample
sheet: sheet_sample, sheet_patient, sheet_timepoint (kitrx's own `sample` column holds the sample
name inside the input file, which need not equal the sheet's name). Rows keep the sample-sheet
order, then the order within each file. Columns are the union over all files in order of first
appearance; a column missing from a file is written as NA. Leading '##' provenance lines of the
inputs are summarised, not copied (their command lines differ per sample).

Standard library only. Runs as a Snakemake `script:` (rule cohort_tables) or from the command line,
either with each sample's table named explicitly or with the sample sheet and a folder of tables
named <sample>.<table>.tsv (flat, as Nextflow stages them, or in <sample>/ subfolders):
  cohort_tables.py -o cohort.clones.tsv --entry S1 P1 T1 S1.clones.tsv --entry S2 P1 T2 S2.clones.tsv
  cohort_tables.py -o cohort.clones.tsv --sheet samples.tsv --dir results/kitrx --table clones
"""
import argparse
import os
import sys
import tempfile

FRONT = ["sheet_sample", "sheet_patient", "sheet_timepoint"]


class TableError(Exception):
    pass


def read_table(path):
    """(provenance dict, header, rows) of a kitrx TSV: '#' lines, one header line, data rows."""
    provenance, header, rows = {}, None, []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if header is None and line.startswith("#"):
                key, sep, value = line.lstrip("#").partition("=")
                if sep:
                    provenance[key.strip()] = value
                continue
            if header is None:
                header = line.split("\t")
                continue
            if not line:
                continue
            fields = line.split("\t")
            if len(fields) != len(header):
                raise TableError(
                    f"{path}:{number}: {len(fields)} fields but the header has {len(header)}; "
                    "is this a kitrx table?"
                )
            rows.append(dict(zip(header, fields)))
    if header is None:
        raise TableError(f"{path}: no header line; is this a kitrx table?")
    return provenance, header, rows


def merge(entries):
    """entries: [(sample, patient, timepoint, path)] -> (provenance lines, columns, rows)."""
    columns, out_rows, versions = [], [], []
    for sample, patient, timepoint, path in entries:
        provenance, header, rows = read_table(path)
        version = provenance.get("kitrx_version")
        if version and version not in versions:
            versions.append(version)
        for column in header:
            if column not in columns:
                columns.append(column)
        for row in rows:
            out_rows.append(dict(row, sheet_sample=sample, sheet_patient=patient, sheet_timepoint=timepoint))
    clash = [c for c in columns if c in FRONT]
    if clash:
        raise TableError(f"input tables already have column(s) {', '.join(clash)}")
    provenance = []
    if versions:
        provenance.append(f"##kitrx_version={','.join(versions)}")
    provenance.append(f"##cohort_samples={len(entries)}")
    return provenance, FRONT + columns, out_rows


def write_atomically(path, provenance, columns, rows):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cohort.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            for line in provenance:
                out.write(line + "\n")
            out.write("\t".join(columns) + "\n")
            for row in rows:
                out.write("\t".join(row.get(c, "NA") for c in columns) + "\n")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def read_sheet(path):
    """(sample, patient, timepoint) of each row of a sample sheet, in order ('#' lines skipped)."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1) if line.strip() and not line.startswith("#")]
    if not lines:
        raise TableError(f"{path}: empty sample sheet")
    header = lines[0][1].rstrip("\r\n").split("\t")
    missing = [c for c in ("sample", "patient", "timepoint") if c not in header]
    if missing:
        raise TableError(f"{path}: header lacks column(s) {', '.join(missing)}")
    rows = []
    for number, line in lines[1:]:
        fields = dict(zip(header, line.rstrip("\r\n").split("\t")))
        if not fields.get("sample"):
            raise TableError(f"{path}:{number}: empty sample")
        rows.append((fields["sample"], fields.get("patient", ""), fields.get("timepoint", "")))
    return rows


def entries_from_sheet(sheet, folder, table):
    entries = []
    for sample, patient, timepoint in read_sheet(sheet):
        name = f"{sample}.{table}.tsv"
        candidates = [os.path.join(folder, name), os.path.join(folder, sample, name)]
        found = next((c for c in candidates if os.path.isfile(c)), None)
        if found is None:
            raise TableError(f"{sheet}: sample {sample}: none of {', '.join(candidates)} exists")
        entries.append((sample, patient, timepoint, found))
    return entries


def build(entries, output):
    provenance, columns, rows = merge(entries)
    write_atomically(output, provenance, columns, rows)
    return len(rows)


def run_snakemake(smk):
    samples, patients, timepoints = smk.params.samples, smk.params.patients, smk.params.timepoints
    with open(smk.log[0], "w") as log:
        try:
            for table in ("variants", "clones", "regimens"):
                files = list(smk.input[table])
                if len(files) != len(samples):
                    raise TableError(f"{table}: {len(files)} files for {len(samples)} samples")
                entries = list(zip(samples, patients, timepoints, files))
                n = build(entries, smk.output[table])
                log.write(f"{smk.output[table]}: {n} rows from {len(files)} samples\n")
        except TableError as e:
            log.write(f"cohort_tables: error: {e}\n")
            raise SystemExit(1)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", required=True, help="cohort TSV to write")
    parser.add_argument("--entry", nargs=4, action="append",
                        metavar=("SAMPLE", "PATIENT", "TIMEPOINT", "TABLE"),
                        help="one sample's table with its sample-sheet fields (repeat per sample)")
    parser.add_argument("--sheet", help="sample sheet (sample, patient, timepoint columns)")
    parser.add_argument("--dir", help="with --sheet: folder holding <sample>.<table>.tsv")
    parser.add_argument("--table", choices=("variants", "clones", "regimens"), help="with --sheet: which table")
    args = parser.parse_args(argv)
    if bool(args.entry) == bool(args.sheet) or (args.sheet and not (args.dir and args.table)):
        parser.error("give either --entry ... (repeated) or --sheet with --dir and --table")
    try:
        entries = [tuple(e) for e in args.entry] if args.entry else entries_from_sheet(args.sheet, args.dir, args.table)
        n = build(entries, args.output)
    except (TableError, OSError) as e:
        print(f"cohort_tables: error: {e}", file=sys.stderr)
        return 1
    print(f"{args.output}: {n} rows from {len(entries)} samples", file=sys.stderr)
    return 0


if "snakemake" in globals():
    run_snakemake(snakemake)  # noqa: F821 (injected by Snakemake's script: directive)
elif __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
