// SPDX-License-Identifier: MIT
// nf-core-style module: one `kitrx report` per sample (variants, clones, regimens, JSON, HTML and
// MultiQC custom-content tables). The script block runs the same command line as the Snakemake
// rule kitrx_report; tests/scripts/nextflow_module.sh extracts it and runs it against the binary.
process KITRX_REPORT {
    tag "${meta.id}"
    label 'process_low'

    conda "${moduleDir}/environment.yml"
    // No container until kitrx is on bioconda (BioContainers builds images from the recipe);
    // set `process.container` in your config to an image that has kitrx on PATH.

    input:
    tuple val(meta), path(input), path(index)

    output:
    tuple val(meta), path("*.variants.tsv")          , emit: variants
    tuple val(meta), path("*.clones.tsv")            , emit: clones
    tuple val(meta), path("*.regimens.tsv")          , emit: regimens
    tuple val(meta), path("*.report.json")           , emit: json
    tuple val(meta), path("*.report.html")           , emit: html
    tuple val(meta), path("*.kitrx_mqc.tsv")         , emit: mqc
    tuple val(meta), path("*.kitrx_regimens_mqc.tsv"), emit: mqc_regimens
    tuple val(meta), path("*.kitrx.log")             , emit: log
    path "versions.yml"                              , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    kitrx report ${input} --outdir . --prefix ${prefix} --threads ${task.cpus - 1} ${args} \\
        2>| >(tee ${prefix}.kitrx.log >&2)

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        kitrx: \$(kitrx --version | sed '1!d; s/^kitrx //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.variants.tsv
    touch ${prefix}.clones.tsv
    touch ${prefix}.regimens.tsv
    echo '{}' > ${prefix}.report.json
    touch ${prefix}.report.html
    touch ${prefix}.kitrx_mqc.tsv
    touch ${prefix}.kitrx_regimens_mqc.tsv
    touch ${prefix}.kitrx.log

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        kitrx: \$(kitrx --version | sed '1!d; s/^kitrx //')
    END_VERSIONS
    """
}
