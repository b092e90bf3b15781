#!/usr/bin/env python3
"""Deterministic WGS-scale somatic VCF for benchmarks (issue 9).

Writes a Mutect2-like tumour/normal VCF (GRCh38, chr1..chr22,X,Y) with N records spread over the
genome in sorted order, about 50 of them inside the KIT target exons (REF taken from the shipped
GRCh38 sequence so kitrx names them), FORMAT GT:AD:AF:DP:F1R2:F2R1 for NORMAL and TUMOR.

Usage: gen_vcf.py --records 5000000 --out bench/data/wgs.vcf [--seed 20261126]
Nothing random comes from Python's `random` module: a fixed xorshift64* generator keeps the bytes
identical across Python versions.
"""
import argparse
import os
import sys

GRCH38 = [("chr1", 248956422), ("chr2", 242193529), ("chr3", 198295559), ("chr4", 190214555),
          ("chr5", 181538259), ("chr6", 170805979), ("chr7", 159345973), ("chr8", 145138636),
          ("chr9", 138394717), ("chr10", 133797422), ("chr11", 135086622), ("chr12", 133275309),
          ("chr13", 114364328), ("chr14", 107043718), ("chr15", 101991189), ("chr16", 90338345),
          ("chr17", 83257441), ("chr18", 80373285), ("chr19", 58617616), ("chr20", 64444167),
          ("chr21", 46709983), ("chr22", 50818468), ("chrX", 156040895), ("chrY", 57227415)]
KIT_TARGET_EXONS = {9, 11, 13, 14, 17, 18}


class XorShift:
    def __init__(self, seed):
        self.s = (seed or 1) & 0xFFFFFFFFFFFFFFFF

    def next(self):
        x = self.s
        x ^= (x >> 12)
        x ^= (x << 25) & 0xFFFFFFFFFFFFFFFF
        x ^= (x >> 27)
        self.s = x
        return (x * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return self.next() % n


def load_window(root):
    seq, start = [], None
    path = os.path.join(root, "resources/genome/GRCh38.KIT_PDGFRA_loci.fa")
    windows = {}
    name = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(">"):
                coords = line.split("chr4:")[1].split()[0]
                name = int(coords.split("-")[0])
                windows[name] = []
            elif name is not None:
                windows[name].append(line.upper())
    return {k: "".join(v) for k, v in windows.items()}


def in_windows(windows, pos1):
    return any(start <= pos1 < start + len(seq) for start, seq in windows.items())


def ref_base(windows, pos1):
    for start, seq in windows.items():
        if start <= pos1 < start + len(seq):
            return seq[pos1 - start]
    raise ValueError(pos1)


def kit_targets(root):
    out = []
    with open(os.path.join(root, "resources/genome/KIT.exons.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {h: i for i, h in enumerate(header)}
        for line in f:
            v = line.rstrip("\n").split("\t")
            if v[col["build"]] == "GRCh38" and int(v[col["exon"]]) in KIT_TARGET_EXONS:
                out.append((int(v[col["cds_genomic_start"]]), int(v[col["cds_genomic_end"]])))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=5_000_000)
    ap.add_argument("--kit-records", type=int, default=50)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261126)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rng = XorShift(args.seed)
    windows = load_window(root)
    targets = kit_targets(root)
    kit_positions = set()
    while len(kit_positions) < args.kit_records:
        s, e = targets[rng.below(len(targets))]
        kit_positions.add(s + rng.below(e - s + 1))
    total_len = sum(l for _, l in GRCH38)
    bases = "ACGT"
    with open(args.out, "w") as out:
        out.write("##fileformat=VCFv4.2\n##source=Mutect2\n##kitrx_note=synthetic benchmark data (bench/gen_vcf.py)\n")
        out.write("##reference=file:///ref/Homo_sapiens_assembly38.fasta\n")
        for name, length in GRCH38:
            out.write(f"##contig=<ID={name},length={length},assembly=GRCh38>\n")
        out.write('##FILTER=<ID=PASS,Description="All filters passed">\n')
        out.write('##INFO=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">\n')
        out.write('##INFO=<ID=TLOD,Number=A,Type=Float,Description="Log 10 likelihood ratio score of variant existing versus not existing">\n')
        out.write('##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n')
        out.write('##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles in the order listed">\n')
        out.write('##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fractions of alternate alleles in the tumor">\n')
        out.write('##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Approximate read depth">\n')
        out.write('##FORMAT=<ID=F1R2,Number=R,Type=Integer,Description="Count of reads in F1R2 pair orientation supporting each allele">\n')
        out.write('##FORMAT=<ID=F2R1,Number=R,Type=Integer,Description="Count of reads in F2R1 pair orientation supporting each allele">\n')
        out.write("##normal_sample=NORMAL\n##tumor_sample=TUMOR\n")
        out.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n")
        n_background = args.records - args.kit_records
        written = 0
        for name, length in GRCH38:
            share = n_background * length // total_len
            step = max(1, length // (share + 1))
            pos = 1 + rng.below(step)
            kit_here = sorted(kit_positions) if name == "chr4" else []
            rows = []
            for _ in range(share):
                rows.append((pos, False))
                pos += 1 + rng.below(2 * step - 1)
                if pos >= length:
                    break
            rows.extend((p, True) for p in kit_here)
            rows.sort()
            for p, in_kit in rows:
                # Background records that land in the shipped KIT/PDGFRA windows get the true base
                # too, so that kitrx's REF check passes wherever they fall.
                on_ref = in_kit or (name == "chr4" and in_windows(windows, p))
                ref = ref_base(windows, p) if on_ref else bases[rng.below(4)]
                alt = bases[(bases.index(ref) + 1 + rng.below(3)) % 4]
                dp_t = 80 + rng.below(400)
                alt_t = 1 + rng.below(max(2, dp_t // 4))
                dp_n = 30 + rng.below(60)
                alt_n = rng.below(2)
                af = alt_t / dp_t
                f1 = alt_t // 2
                out.write(f"{name}\t{p}\t.\t{ref}\t{alt}\t.\tPASS\tDP={dp_t + dp_n};TLOD={10 + rng.below(900) / 10:.1f}\t"
                          f"GT:AD:AF:DP:F1R2:F2R1\t0/0:{dp_n - alt_n},{alt_n}:{alt_n / dp_n:.3f}:{dp_n}:{dp_n // 2},0:{dp_n - dp_n // 2 - alt_n},{alt_n}\t"
                          f"0/1:{dp_t - alt_t},{alt_t}:{af:.4f}:{dp_t}:{(dp_t - alt_t) // 2},{f1}:{dp_t - alt_t - (dp_t - alt_t) // 2},{alt_t - f1}\n")
                written += 1
    print(f"wrote {written} records ({len(kit_positions)} in KIT targets) to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
