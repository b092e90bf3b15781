#!/usr/bin/env nextflow
// SPDX-License-Identifier: MIT
// Minimal kitrx pipeline: maps the sample sheet of the Snakemake workflow (config/samples.tsv:
// sample, patient, timepoint, input, optional index) over the KITRX_REPORT module, then writes the
// cohort tables with the script the Snakemake workflow uses (workflow/scripts/cohort_tables.py).
//   nextflow run workflow/nextflow/main.nf -c workflow/nextflow/nextflow.config \
//       --input config/samples.tsv --outdir results [-profile slurm]
nextflow.enable.dsl = 2

include { KITRX_REPORT } from './modules/kitrx/main'

params.input  = null
params.outdir = 'results'

process KITRX_COHORT_TABLES {
    label 'process_single'

    input:
    path sheet
    path tables, stageAs: 'tables/*'

    output:
    path 'kitrx.*.tsv', emit: tables

    script:
    """
    for table in variants clones regimens; do
        python3 ${projectDir}/../scripts/cohort_tables.py --sheet ${sheet} --dir tables \\
            --table \$table -o kitrx.\$table.tsv
    done
    """
}

workflow {
    if (!params.input) {
        error "Give the sample sheet with --input (tab-separated: sample, patient, timepoint, input)"
    }
    sheet = file(params.input, checkIfExists: true)
    samples = Channel
        .fromPath(sheet)
        .splitCsv(header: true, sep: '\t')
        .filter { row -> row.sample && !row.sample.startsWith('#') }
        .map { row ->
            def meta  = [id: row.sample, patient: row.patient, timepoint: row.timepoint]
            // Relative paths are relative to the sheet's folder, as kitrx and the Snakemake workflow read them.
            def resolve = { p -> (p.startsWith('/') || p.contains('://')) ? file(p, checkIfExists: true) : file("${sheet.parent}/${p}", checkIfExists: true) }
            [meta, resolve(row.input), row.index ? resolve(row.index) : []]
        }

    KITRX_REPORT(samples)

    tables = KITRX_REPORT.out.variants
        .mix(KITRX_REPORT.out.clones, KITRX_REPORT.out.regimens)
        .map { meta, table -> table }
        .collect()
    KITRX_COHORT_TABLES(sheet, tables)
}
