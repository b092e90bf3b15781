// SPDX-License-Identifier: MIT
// The TSV tables of `kitrx count`: one row per target position, per non-reference allele, per
// hotspot, each after the run's "##" header lines (see docs/count_format.md for the columns).
#include "kitrx/report/count_tables.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "kitrx/genome/genome.hpp"

namespace kitrx {

namespace {

// "KIT:9,11;PDGFRA:12" for the targets= header line.
std::string describe_targets(const std::vector<TargetRegion>& targets) {
    std::ostringstream s;
    std::string gene;
    for (const auto& t : targets) {
        if (t.gene != gene) {
            s << (gene.empty() ? "" : ";") << t.gene << ":";
            gene = t.gene;
        } else {
            s << ",";
        }
        s << t.exon;
    }
    return s.str();
}

std::string format_double(double v, int digits = 6) {
    if (std::isnan(v)) return "NA";
    std::ostringstream s;
    s << std::setprecision(digits) << v;
    return s.str();
}

// The run's "##" lines, then the column header line.
void write_header(std::ostream& out, const std::vector<std::string>& header, const char* columns) {
    for (const auto& h : header) out << "##" << h << '\n';
    out << columns;
}

}  // namespace

std::vector<std::string> count_provenance(const BamCountResult& r, const CountOptions& o) {
    auto kept = [](bool keep) { return keep ? "kept" : "skipped"; };
    const auto& s = r.stats;
    return {
        "input=" + r.info.path,
        "format=" + to_string(r.info.format) +
            (r.info.used_index ? " (indexed: target regions only)" : " (streamed)"),
        "build=" + to_string(r.info.build) + " (" + r.info.build_evidence + ")",
        "contig=" + r.info.contig,
        "sample=" + r.sample,
        "targets=" + describe_targets(r.info.targets) + " (coding bases +/- " +
            std::to_string(kSpliceRegionIntronic) + " bp)",
        "filters=min_mapq=" + std::to_string(o.min_mapq) + ";min_baseq=" + std::to_string(o.min_baseq) +
            ";duplicates=" + kept(o.keep_duplicates) + ";secondary=" + kept(o.keep_secondary) +
            ";supplementary=" + kept(o.keep_supplementary) + ";qcfail=" + kept(o.keep_qcfail) +
            ";max_depth=none",
        std::string("unit=") + (o.count_overlapping_mates_once
                                    ? "fragments (overlapping mates counted once; disagreeing bases: higher "
                                      "quality wins, ties count as N)"
                                    : "reads (mates counted separately)"),
        "reads=in_targets:" + std::to_string(s.reads_in_targets) + ";counted:" +
            std::to_string(s.reads_counted) + ";duplicate:" + std::to_string(s.filtered_duplicate) +
            ";secondary:" + std::to_string(s.filtered_secondary) + ";supplementary:" +
            std::to_string(s.filtered_supplementary) + ";qcfail:" + std::to_string(s.filtered_qcfail) +
            ";low_mapq:" + std::to_string(s.filtered_mapq) + ";fragments:" + std::to_string(s.fragments) +
            ";overlapping_pairs:" + std::to_string(s.overlapping_pairs) +
            ";mate_disagreements:" + std::to_string(s.mate_disagreements),
    };
}

std::string calling_provenance(const CountOptions& o) {
    return "calling=background_error=" + std::to_string(o.background_error) +
           (o.noise_table.empty() ? "" : ";noise_table=" + o.noise_table) +
           ";alpha=" + std::to_string(o.alpha) + ";min_alt_reads=" + std::to_string(o.min_alt_reads) +
           ";min_vaf=" + std::to_string(o.min_vaf) + ";lod_power=0.95";
}

void write_count_tsv(std::ostream& out, const BamCountResult& r, const std::vector<std::string>& header) {
    write_header(
        out, header,
        "#chrom\tpos\tref\tdepth\tA\tC\tG\tT\tN\tdel\tA_fwd\tA_rev\tC_fwd\tC_rev\tG_fwd\tG_rev\tT_fwd\tT_"
        "rev\tN_fwd\tN_rev"
        "\tdel_fwd\tdel_rev\tindels_mnvs\ttarget\n");
    const auto& alleles = r.table.alleles();
    auto next = alleles.begin();
    std::size_t target = 0;
    std::string line;
    r.table.for_each_position([&](std::int64_t p, const PositionCounts& c) {
        while (target + 1 < r.info.targets.size() && p >= r.info.targets[target].end) ++target;
        line.clear();
        line += r.info.contig;
        line += '\t';
        line += std::to_string(p + 1);
        line += '\t';
        line += r.table.reference_at(p);
        line += '\t';
        line += std::to_string(c.depth());
        for (int s = 0; s < kSlotCount; ++s) {
            line += '\t';
            line += std::to_string(c.total(s));
        }
        for (int s = 0; s < kSlotCount; ++s) {
            line += '\t';
            line += std::to_string(c.fwd[s]);
            line += '\t';
            line += std::to_string(c.rev[s]);
        }
        line += '\t';
        while (next != alleles.end() && next->pos0 < p) ++next;
        bool any = false;
        for (auto it = next; it != alleles.end() && it->pos0 == p; ++it) {
            if (it->is_snv()) continue;
            if (any) line += ',';
            any = true;
            if (it->is_deletion())
                line += "-" + it->ref.substr(1);
            else if (it->is_insertion())
                line += "+" + it->alt.substr(1);
            else
                line += it->ref + ">" + it->alt;
            line += ':' + std::to_string(it->total()) + ':' + std::to_string(it->fwd) + ':' +
                    std::to_string(it->rev);
        }
        if (!any) line += '.';
        line += '\t';
        const auto& t = r.info.targets[target];
        line += p >= t.begin && p < t.end ? t.gene + "_exon" + std::to_string(t.exon) : std::string(".");
        line += '\n';
        out << line;
    });
}

void write_allele_tsv(std::ostream& out,
                      const BamCountResult& r,
                      const std::vector<AlleleCall>& calls,
                      const std::vector<std::string>& header) {
    write_header(out, header,
                 "#chrom\tpos\tref\talt\talt_count\talt_fwd\talt_rev\tdepth\tvaf\tci95_low\tci95_"
                 "high\tbackground\tpvalue"
                 "\tref_fwd\tref_rev\tstrand_pvalue\tstrand_bias\tcalled\n");
    for (const auto& c : calls) {
        out << r.info.contig << '\t' << c.allele.pos0 + 1 << '\t' << c.allele.ref << '\t' << c.allele.alt
            << '\t' << c.allele.total() << '\t' << c.allele.fwd << '\t' << c.allele.rev << '\t' << c.depth
            << '\t' << format_double(c.vaf) << '\t' << format_double(c.ci.low) << '\t'
            << format_double(c.ci.high) << '\t' << format_double(c.background) << '\t'
            << format_double(c.pvalue, 4) << '\t' << c.ref_fwd << '\t' << c.ref_rev << '\t'
            << format_double(c.strand_pvalue, 4) << '\t' << (c.strand_bias ? "yes" : "no") << '\t'
            << (c.called ? "yes" : "no") << '\n';
    }
}

void write_hotspot_tsv(std::ostream& out,
                       const std::vector<HotspotStatus>& hotspots,
                       const std::vector<std::string>& header) {
    write_header(out, header,
                 "#gene\thotspot\tcodon\tchrom\tstart\tend\tstatus\tdepth\tlod_vaf_95\tbackground\tbest_"
                 "allele\tbest_alt_count"
                 "\tbest_depth\tbest_pvalue\tsource\n");
    for (const auto& h : hotspots) {
        out << h.gene << '\t' << h.label << '\t' << h.codon << '\t' << h.chrom << '\t' << h.begin + 1 << '\t'
            << h.end << '\t' << hotspot_state(h) << '\t' << h.depth << '\t' << format_double(h.lod_vaf, 4)
            << '\t' << format_double(h.background) << '\t' << (h.best_allele.empty() ? "." : h.best_allele)
            << '\t' << h.best_alt_reads << '\t' << h.best_depth << '\t'
            << (h.best_allele.empty() ? "NA" : format_double(h.best_pvalue, 4)) << '\t' << h.source << '\n';
    }
}

}  // namespace kitrx
