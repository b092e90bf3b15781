# SPDX-License-Identifier: MIT
# MultiQC report over kitrx's custom-content files (*_mqc.tsv: general statistics and regimens).


rule multiqc:
    input:
        mqc=all_reports("mqc") + all_reports("mqc_regimens"),
        config=MULTIQC_CONFIG,
    output:
        report=f"{OUTDIR}/multiqc/multiqc_report.html",
        data=directory(f"{OUTDIR}/multiqc/multiqc_data"),
    log:
        f"{OUTDIR}/logs/multiqc.log",
    params:
        outdir=lambda wildcards, output: Path(output.report).parent,
        extra=config["multiqc"]["extra"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        "../envs/multiqc.yaml"
    shell:
        # Files are named explicitly (no directory scan), so only this run's samples are reported.
        "multiqc --force --no-ansi --config {input.config:q} --outdir {params.outdir:q}"
        " {params.extra} {input.mqc:q} > {log:q} 2>&1"
