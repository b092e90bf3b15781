# kitrx Snakemake entry point. The workflow itself is workflow/Snakefile (Snakemake catalog layout);
# this file lets `snakemake --cores N` run from the repository root.


include: "workflow/Snakefile"


# include: restores the including file's default target afterwards, so name it here as well.
localrules:
    default,


rule default:
    input:
        rules.all.input,
    default_target: True
