# SPDX-License-Identifier: MIT
# Cohort tables: every sample's variants, clones and regimens in one TSV each, with the sample
# sheet's sample, patient and timepoint in front (workflow/scripts/cohort_tables.py).


rule cohort_tables:
    input:
        variants=all_reports("variants"),
        clones=all_reports("clones"),
        regimens=all_reports("regimens"),
    output:
        variants=f"{OUTDIR}/cohort/kitrx.variants.tsv",
        clones=f"{OUTDIR}/cohort/kitrx.clones.tsv",
        regimens=f"{OUTDIR}/cohort/kitrx.regimens.tsv",
    log:
        f"{OUTDIR}/logs/cohort_tables.log",
    params:
        samples=[row["sample"] for row in SAMPLES],
        patients=[row["patient"] for row in SAMPLES],
        timepoints=[row["timepoint"] for row in SAMPLES],
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    conda:
        "../envs/python.yaml"
    script:
        "../scripts/cohort_tables.py"
