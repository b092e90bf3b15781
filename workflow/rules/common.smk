# SPDX-License-Identifier: MIT
# Shared helpers: config and sample-sheet validation, per-sample lookups, target lists.
# Plain Python (csv) instead of pandas so that the workflow needs nothing beyond Snakemake itself.
import csv
import os
import re
import shlex
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

# 7.21 is Debian 12's Snakemake; the rules avoid 8/9-only features (lookup(), --sdm, plugins).
min_version("7.21")


validate(config, schema="../schemas/config.schema.yaml")

OUTDIR = str(Path(config["outdir"]))  # drops a trailing slash; "" becomes "."
KITRX = config["kitrx"]
# A plain path (not workflow.source_path(), whose cache path changes per run and would make every
# run look like a parameter change).
MULTIQC_CONFIG = workflow.current_basedir.join("../multiqc_config.yaml").get_path_or_uri()


def read_sample_sheet(path):
    """Rows of the TSV sample sheet, validated one by one so that an error names its line.

    The sheet is kitrx's (`kitrx report --sample-sheet`): sample, patient, timepoint, input, and the
    optional prior (drugs the patient has failed, comma-separated)."""
    if not Path(path).is_file():
        raise WorkflowError(f"sample sheet {path} not found (config key 'samples')")
    with open(path, newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    missing = {"sample", "patient", "timepoint", "input"} - set(reader.fieldnames or [])
    if missing:
        raise WorkflowError(
            f"{path}: header lacks column(s) {', '.join(sorted(missing))}; "
            "expected tab-separated sample, patient, timepoint, input"
        )
    rows, seen, timepoints = [], {}, {}
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise WorkflowError(f"{path}: line {number}: more fields than header columns")
        # Empty cells are dropped, so that an empty required value is reported as missing.
        record = {k: (v or "").strip() for k, v in row.items() if (v or "").strip()}
        try:
            validate(record, schema="../schemas/samples.schema.yaml")
        except WorkflowError as e:
            raise WorkflowError(f"{path}: line {number}: invalid row", e)
        if record["sample"] in seen:
            raise WorkflowError(
                f"{path}: line {number}: sample '{record['sample']}' repeats line {seen[record['sample']]}"
            )
        seen[record["sample"]] = number
        # kitrx's sheet reader rejects a repeated (patient, timepoint) too; say so before any job runs.
        key = (record["patient"], record["timepoint"])
        if key in timepoints:
            raise WorkflowError(
                f"{path}: line {number}: patient '{key[0]}' has timepoint '{key[1]}' already on line {timepoints[key]}"
            )
        timepoints[key] = number
        # As kitrx's own sheet reader does: a relative input is relative to the sheet's folder.
        if "://" not in record["input"]:
            record["input"] = os.path.normpath(os.path.join(os.path.dirname(path), record["input"]))
        rows.append(record)
    if not rows:
        raise WorkflowError(f"{path}: no samples")
    return rows


SAMPLES = read_sample_sheet(config["samples"])
SAMPLE_BY_NAME = {row["sample"]: row for row in SAMPLES}
# Patients with two or more timepoints get a longitudinal report (clone trajectories).
PATIENT_ROWS = {}
for _row in SAMPLES:
    PATIENT_ROWS.setdefault(_row["patient"], []).append(_row)
LONGITUDINAL = [p for p, rows in PATIENT_ROWS.items() if len(rows) >= 2]


def _alternatives(names):
    # Longest first so that one name that prefixes another cannot match its part.
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "^$"


wildcard_constraints:
    sample=_alternatives(SAMPLE_BY_NAME),
    patient=_alternatives(PATIENT_ROWS),


# Outputs of `kitrx report INPUT --outdir DIR --prefix NAME` (the CLI contract).
REPORT_SUFFIXES = {
    "variants": "variants.tsv",
    "clones": "clones.tsv",
    "regimens": "regimens.tsv",
    "json": "report.json",
    "html": "report.html",
    "mqc": "kitrx_mqc.tsv",
    "mqc_regimens": "kitrx_regimens_mqc.tsv",
}
COHORT_TABLES = ("variants", "clones", "regimens")
INDEX_SUFFIXES = (".tbi", ".csi", ".bai", ".crai")


def report_path(sample, kind):
    return f"{OUTDIR}/kitrx/{sample}/{sample}.{REPORT_SUFFIXES[kind]}"


def report_input(wildcards):
    """The sample's input plus its index when one lies next to it (staged together on clusters)."""
    data = SAMPLE_BY_NAME[wildcards.sample]["input"]
    files = {"data": data}
    candidates = [data + s for s in INDEX_SUFFIXES]
    if data.endswith((".bam", ".cram")):
        candidates += [data.rsplit(".", 1)[0] + s for s in (".bai", ".crai")]
    for candidate in candidates:
        if Path(candidate).is_file():
            files["index"] = candidate
            break
    return files


def report_threads(wildcards):
    # Decompressing and piling up BAM/CRAM reads profits from a second thread; a VCF does not.
    data = SAMPLE_BY_NAME[wildcards.sample]["input"]
    return 2 if data.endswith((".bam", ".cram")) else 1


def extra_threads(wildcards, threads):
    # kitrx's -@/--threads counts threads in addition to the main one (samtools convention).
    return max(int(threads) - 1, 0)


def report_options(wildcards):
    """Options from the config, shell-quoted."""
    options = []
    if config["build"]:
        options += ["--build", config["build"]]
    if config["genes"]:
        options += ["--genes", config["genes"]]
    if config["reference"]:
        options += ["--reference", config["reference"]]
    # Treatment history of a per-sample report: the sheet's optional `prior` column (kitrx ranks
    # regimens of failed drugs after untried ones). Patient reports carry it in their own sheet.
    row = SAMPLE_BY_NAME.get(getattr(wildcards, "sample", ""), {})
    if row.get("prior") and row["prior"] not in (".", "none"):
        options += ["--prior", row["prior"]]
    return " ".join(shlex.quote(o) for o in options)


def patient_report_path(patient, kind):
    return f"{OUTDIR}/patients/{patient}/{patient}.{REPORT_SUFFIXES[kind]}"


def patient_sheet_lines(wildcards):
    """The patient's rows as a kitrx sample sheet, inputs made absolute (the sheet lives elsewhere)."""
    rows = PATIENT_ROWS[wildcards.patient]
    with_prior = any(row.get("prior") for row in rows)
    lines = ["sample\tpatient\ttimepoint\tinput" + ("\tprior" if with_prior else "")]
    for row in rows:
        data = row["input"] if "://" in row["input"] else os.path.abspath(row["input"])
        fields = [row["sample"], row["patient"], row["timepoint"], data]
        if with_prior:
            fields.append(row.get("prior", "none"))
        lines.append("\t".join(fields))
    return lines


def patient_inputs(wildcards):
    return [row["input"] for row in PATIENT_ROWS[wildcards.patient]]


def all_reports(kind):
    return [report_path(row["sample"], kind) for row in SAMPLES]


def all_targets():
    targets = [report_path(row["sample"], kind) for row in SAMPLES for kind in REPORT_SUFFIXES]
    if config["patient_reports"]:
        targets += [patient_report_path(p, kind) for p in LONGITUDINAL for kind in REPORT_SUFFIXES]
    targets += [f"{OUTDIR}/cohort/kitrx.{table}.tsv" for table in COHORT_TABLES]
    if config["multiqc"]["enabled"]:
        targets.append(f"{OUTDIR}/multiqc/multiqc_report.html")
    return targets
