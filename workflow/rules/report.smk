# SPDX-License-Identifier: MIT
# One `kitrx report` per sample: variants, clones, regimens, JSON, HTML and the MultiQC files.


rule kitrx_report:
    input:
        unpack(report_input),
    output:
        variants=report_path("{sample}", "variants"),
        clones=report_path("{sample}", "clones"),
        regimens=report_path("{sample}", "regimens"),
        json=report_path("{sample}", "json"),
        html=report_path("{sample}", "html"),
        mqc=report_path("{sample}", "mqc"),
        mqc_regimens=report_path("{sample}", "mqc_regimens"),
    log:
        f"{OUTDIR}/logs/kitrx_report/{{sample}}.log",
    benchmark:
        f"{OUTDIR}/benchmarks/kitrx_report/{{sample}}.tsv"
    params:
        kitrx=KITRX,
        outdir=lambda wildcards, output: Path(output.variants).parent,
        options=report_options,
        extra_threads=extra_threads,
        extra=config["report"]["extra"],
    threads: report_threads
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        "../envs/kitrx.yaml"
    shell:
        # Same command line as the Nextflow module's script block (tests/scripts/nextflow_module.sh).
        "{params.kitrx} report {input.data:q} --outdir {params.outdir:q} --prefix {wildcards.sample}"
        " --threads {params.extra_threads} {params.options} {params.extra} 2> {log:q}"
