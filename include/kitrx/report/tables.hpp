// SPDX-License-Identifier: MIT
// report (tables): the variants table written by `kitrx annotate` and `kitrx report`.
// Columns (one row per sample x ALT allele; docs/report.md, "variants.tsv", mirrors this):
//   sample      sample name (VCF column, BAM read group, or file stem for sites-only files)
//   chrom,pos   input contig and 1-based POS as in the input record
//   ref,alt     input alleles (not normalised); the names below are from the normalised allele
//   gene        KIT / PDGFRA;  transcript  NM_000222.3 / NM_006206.4
//   exon        exon affected (intronic changes: the exon whose splice region they are in)
//   codon       first affected codon (1-based) or NA
//   hgvs_c      HGVS c. on the transcript (3'-shifted);  hgvs_p  HGVS p. (3-letter)
//   protein     short protein change (D816V, W557_K558del);  consequence  SO-style class
//   domain      protein domain of the exon;  role  primary / secondary / unknown
//   vaf         alt fraction (computed from counts when present, else the caller's AF), NA if unknown
//   alt_reads   reads supporting ALT, NA if unknown;  depth  denominator reads, NA if unknown
//   af_source   the fields vaf/alt_reads/depth came from ("FORMAT/AD", "INFO/DP4", ...)
//   filter      FILTER of the input record
//   panel_rule  id of the activity-panel rule that matched, NA if none;  panel_level  its level
//   activity_<drug>  sensitive / intermediate / resistant / unknown, one column per panel drug
//   evidence    citation keys per drug: "sunitinib:KEY1|KEY2;regorafenib:KEY3"
//   status      "detected" for called variants; "not_detected" (or "not_covered" below --min-depth) for
//               a BAM/CRAM resistance hotspot
//               where nothing was called (row with protein = hotspot label, alt_reads = the best
//               uncalled allele's fragments, depth = minimum fragment depth over the codon)
//   lod_vaf     not_detected rows: the fraction detectable with 95% power at that depth
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "kitrx/panel/annotate.hpp"
#include "kitrx/panel/panel.hpp"

namespace kitrx {

// "##key=value" lines written before the header line of every table (unless disabled).
struct Provenance {
    std::vector<std::pair<std::string, std::string>> items;
    void add(const std::string& key, const std::string& value) { items.emplace_back(key, value); }
};

// Standard provenance: version, command, input, build, transcripts, panel, research-use notice.
[[nodiscard]] Provenance make_provenance(const std::string& command_line,
                                         const SourceInfo& source,
                                         const ActivityPanel* panel);

void write_provenance(std::ostream& out, const Provenance& provenance);

[[nodiscard]] std::vector<std::string> variant_columns(const ActivityPanel& panel);
void write_variants_header(std::ostream& out, const ActivityPanel& panel);
void write_variant_row(std::ostream& out, const AnnotatedVariant& variant, const ActivityPanel& panel);
// A "not_detected" row for a hotspot without a called allele (detected hotspots are not written:
// their variant row is). Needs the build's model for exon and domain.
void write_hotspot_row(std::ostream& out,
                       const HotspotStatus& hotspot,
                       const ActivityPanel& panel,
                       Build build);

// Numbers in tables: fixed-point without trailing zeros ("0.0784"), "NA" for unknown.
[[nodiscard]] std::string format_fraction(double value);
[[nodiscard]] std::string format_count(std::int64_t value);

inline constexpr const char* kResearchUseNotice =
    "Research use only. kitrx output is not a diagnostic result and must not guide treatment "
    "without review by qualified clinicians.";

}  // namespace kitrx

namespace kitrx {

// The annotate result as JSON: {"kitrx_version", "notice", "provenance": {...}, "panel": {...},
// "variants": [{column: value, ..., "activity": {drug: call}, "evidence": {drug: [keys]}}],
// "hotspots": [{sample, gene, label, codon, depth, detected, lod_vaf, ...}]} (BAM/CRAM input).
void write_variants_json(std::ostream& out,
                         const std::vector<AnnotatedVariant>& variants,
                         const ActivityPanel& panel,
                         const Provenance& provenance,
                         const std::vector<HotspotStatus>& hotspots = {});

}  // namespace kitrx
