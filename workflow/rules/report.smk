# SPDX-License-Identifier: MIT
# One `kitrx report` per sample: variants, clones, regimens, JSON, HTML and the MultiQC files;
# and one per patient with two or more timepoints, from a kitrx sample sheet of the patient's rows,
# so that its report follows each clone over time (emerging, expanding, clearing, ...).


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


rule kitrx_patient_report:
    input:
        patient_inputs,
    output:
        sheet=f"{OUTDIR}/patients/{{patient}}/{{patient}}.samples.tsv",
        variants=patient_report_path("{patient}", "variants"),
        clones=patient_report_path("{patient}", "clones"),
        regimens=patient_report_path("{patient}", "regimens"),
        json=patient_report_path("{patient}", "json"),
        html=patient_report_path("{patient}", "html"),
        mqc=patient_report_path("{patient}", "mqc"),
        mqc_regimens=patient_report_path("{patient}", "mqc_regimens"),
    log:
        f"{OUTDIR}/logs/kitrx_patient_report/{{patient}}.log",
    benchmark:
        f"{OUTDIR}/benchmarks/kitrx_patient_report/{{patient}}.tsv"
    params:
        kitrx=KITRX,
        lines=patient_sheet_lines,
        outdir=lambda wildcards, output: Path(output.variants).parent,
        options=report_options,
        extra=config["report"]["extra"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    conda:
        "../envs/kitrx.yaml"
    shell:
        "printf '%s\\n' {params.lines:q} > {output.sheet:q} && "
        "{params.kitrx} report --sample-sheet {output.sheet:q} --outdir {params.outdir:q}"
        " --prefix {wildcards.patient} {params.options} {params.extra} 2> {log:q}"
