// SPDX-License-Identifier: MIT
// Private (io): one VCF/BCF record -> Observations (one per sample and ALT allele), reading allele
// counts by each caller's convention, plus the header analysis the VCF reader needs (caller, build).
// Knows nothing about targets: VcfSource decides which records reach here, and unit tests call it
// on any record. Positions: htslib's 0-based `rec->pos`.
//
// Which fields give the counts is decided per record from the FORMAT/INFO keys it carries, not from
// the caller name, so that merged files (Mutect2 + Lancet) and headers without ##FORMAT lines work.
// Order tried for each sample and ALT allele (first usable wins; Observation.af_source names it):
//   FORMAT/RD,AD      VarScan2 (FREQ present; AD is the ALT depth only)     depth = RD + AD
//   FORMAT/VD,DP      VarDict (bi-allelic)                                  depth = DP
//   FORMAT/TIR,TAR    Strelka indels, tier 1                                depth = TIR + TAR
//   FORMAT/<A>U,<R>U  Strelka SNVs, tier 1 base counts                      depth = REF + all ALT
//   FORMAT/AO,RO      FreeBayes                                             depth = RO + sum(AO)
//   FORMAT/AD         Number=R ref,alt... (Mutect2, bcftools -a AD, DRAGEN, MuSE, Lancet, ...)
//   FORMAT/ADT        PCGR-style string "ref,alt"
//   FORMAT/DP4        SomaticSniper, consensus files (bi-allelic)           depth = sum
//   INFO/DP4          LoFreq, bcftools call (bi-allelic, files with <= 1 sample)
// then fractions without counts: FORMAT/AF, FORMAT/FA (MuTect1), FORMAT/FREQ (percent),
// FORMAT/VAF, and INFO/AF only for callers where it is a read fraction (LoFreq, VarDict) -- never
// FreeBayes' INFO/AF (AC/AN). Missing values ('.') fall through to the next source; when nothing is
// usable the counts stay -1, vaf NaN and af_source "".
// Strand counts (alt_fwd/alt_rev): FORMAT/ADF+ADR, SB (Mutect2/DRAGEN, 4 values), DP4, ALD
// (VarDict), SA (Lancet), INFO/DP4; Strelka tier counts have none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "kitrx/common/errors.hpp"
#include "kitrx/genome/genome.hpp"
#include "kitrx/io/observation.hpp"

namespace kitrx::detail {

// How records of one header are turned into observations. Built once per header.
struct FieldPlan {
    std::string file;                       // input path as given, for messages ("-" = stdin)
    std::string caller;                     // detect_caller(); informational except INFO/AF use
    std::string sites_only_sample;          // Observation.sample when the file has no sample columns
    bool info_af_is_read_fraction = false;  // INFO/AF may be used as a read fraction (LoFreq, VarDict)
    bool info_counts_usable = false;        // INFO/DP4 describes the one sample (<= 1 sample column)
    bool strict = false;                    // skippable problems become InputError
};

// Builds the plan for `hdr` (after any bcf_hdr_set_samples). `file` names the input in messages
// and, for sites-only files, gives the sample name (file_stem()).
[[nodiscard]] FieldPlan make_field_plan(const bcf_hdr_t* hdr, const std::string& file, bool strict);

// Observations of `rec`: for each sample column (header order) and each ALT allele (VCF order).
// Unpacks the record. REF/ALT are upper-cased; symbolic ALTs (<DEL>, *, breakends) and non-ACGTN
// alleles are skipped with a warning (strict: InputError naming `file: CHROM:POS`). Values out of
// range (fraction < 0 or > 1, count longer/shorter than the alleles) are warned about and skipped.
// `record_index` is stored in each Observation.
[[nodiscard]] std::vector<Observation> observations_from_record(
    const bcf_hdr_t* hdr, bcf1_t* rec, const FieldPlan& plan, Diagnostics& diag, std::int64_t record_index);

// Caller named by the header (##source, ##GATKCommandLine, ...): "Mutect2", "Strelka2", "Strelka",
// "VarScan2", "VarDict", "FreeBayes", "LoFreq", "DRAGEN", "bcftools", "MuSE", "Lancet", ... or "".
[[nodiscard]] std::string detect_caller(const bcf_hdr_t* hdr);

struct BuildGuess {
    std::optional<Build> build;  // nullopt when the header does not tell
    std::string evidence;        // e.g. "##contig chr4 length=191154276"
    std::string conflict;        // other header evidence that disagrees, "" if none
};

// Genome build from the header: ##contig length of chr4/4 first, then ##contig assembly=, then
// ##reference= (hg19/GRCh37/b37/hs37d5/human_g1k_v37 vs hg38/GRCh38/Homo_sapiens_assembly38).
[[nodiscard]] BuildGuess detect_build(const bcf_hdr_t* hdr);

// Build named by a path or assembly string, matched on whole tokens ("ucsc.hg19.fasta" -> GRCh37);
// nullopt when it names neither or both.
[[nodiscard]] std::optional<Build> build_from_name(const std::string& text);

// The file name without directories and without .gz/.bgz and .vcf/.bcf: "a/arm_c.lofreq.vcf.gz" ->
// "arm_c.lofreq"; "-" for stdin.
[[nodiscard]] std::string file_stem(const std::string& path);

}  // namespace kitrx::detail
