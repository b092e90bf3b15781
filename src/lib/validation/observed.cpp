// SPDX-License-Identifier: MIT
// validation observed: the calls being scored, read from kitrx's own variants table (raw
// VCF/BAM inputs are annotated by the CLI first), with every key each call answers to.
#include <algorithm>
#include <map>

#include "kitrx/common/stats.hpp"
#include "kitrx/validation/validation.hpp"
#include "validation/validation_util.hpp"

namespace kitrx {

using namespace validation_detail;

std::vector<VariantKey> ObservedVariant::keys() const {
    std::vector<VariantKey> out;
    const std::string g = upper(gene);
    if (!g.empty() && !is_missing(protein)) out.push_back({KeyKind::kProtein, g, normalise_protein(protein)});
    if (!g.empty() && !is_missing(hgvs_c)) out.push_back({KeyKind::kCoding, g, normalise_coding(hgvs_c)});
    const std::string gk = genomic_key_text(chrom, pos1, ref, alt);
    if (!gk.empty()) out.push_back({KeyKind::kGenomic, "", gk});
    if (!norm_key.empty() && norm_key != gk) out.push_back({KeyKind::kGenomic, "", norm_key});
    return out;
}

bool ObservedVariant::has_evidence() const {
    if (alt_reads >= 0) return alt_reads > 0;
    return !std::isnan(vaf) && vaf > 0.0;
}

void ObservedSet::merge(ObservedSet other) {
    for (const auto& s : other.samples) {
        if (std::find(samples.begin(), samples.end(), s) != samples.end())
            throw InputError(
                at(other.sources.empty() ? "" : other.sources.front(), 0),
                "sample '" + s + "' was already read from another OBSERVED file",
                "each run must come from exactly one file (rename the read group or the VCF sample)");
        samples.push_back(s);
    }
    for (auto& v : other.variants) variants.push_back(std::move(v));
    for (auto& s : other.sources) sources.push_back(std::move(s));
}

bool looks_like_variants_table(std::string_view first_line) {
    return starts_with(first_line, "##kitrx") || starts_with(first_line, "sample\tchrom\tpos");
}

ObservedSet read_variants_table(std::istream& in, const std::string& name) {
    ObservedSet set;
    set.sources.push_back(name);
    std::map<std::string, std::size_t> column;
    std::string line;
    int line_no = 0;
    bool have_header = false;
    while (std::getline(in, line)) {
        ++line_no;
        chomp(line);
        if (line.empty() || starts_with(line, "##")) continue;
        const std::vector<std::string> values = split_tabs(line);
        const std::vector<int> columns = tab_columns(line);
        if (!have_header) {
            for (std::size_t i = 0; i < values.size(); ++i) {
                std::string col = trim_space(values[i]);
                if (i == 0 && !col.empty() && col[0] == '#') col.erase(0, 1);
                column[col] = i;
            }
            for (const char* required : {"sample", "chrom", "pos", "ref", "alt", "gene"})
                if (!column.count(required))
                    throw InputError(
                        at(name, line_no, 1), std::string("variants table has no column '") + required + "'",
                        "OBSERVED tables are the TSV written by 'kitrx annotate' or 'kitrx report'");
            have_header = true;
            continue;
        }
        check_field_count(values, column.size(), name, line_no);
        auto get = [&](const char* col) -> std::string {
            auto it = column.find(col);
            return it == column.end() ? std::string() : values[it->second];
        };
        auto col_of = [&](const char* col) { return columns[column.at(col)]; };
        ObservedVariant v;
        v.sample = get("sample");
        v.chrom = get("chrom");
        const auto pos1 = parse_count(get("pos"));
        if (!pos1 || *pos1 <= 0)
            throw InputError(at(name, line_no, col_of("pos")), "malformed pos '" + get("pos") + "'");
        v.pos1 = *pos1;
        v.ref = get("ref");
        v.alt = get("alt");
        v.gene = get("gene");
        v.protein = is_missing(get("protein")) ? "" : get("protein");
        v.hgvs_c = is_missing(get("hgvs_c")) ? "" : get("hgvs_c");
        v.consequence = get("consequence");
        v.filter = column.count("filter") ? get("filter") : ".";
        if (column.count("vaf") && !is_missing(get("vaf"))) {
            const auto vaf = parse_number(get("vaf"));
            if (!vaf || *vaf < 0 || *vaf > 1)
                throw InputError(at(name, line_no, col_of("vaf")),
                                 "vaf '" + get("vaf") + "' is not a fraction in [0,1]");
            v.vaf = *vaf;
        }
        for (const char* col : {"alt_reads", "depth"}) {
            if (!column.count(col) || is_missing(get(col))) continue;
            const auto n = parse_count(get(col));
            if (!n)
                throw InputError(at(name, line_no, col_of(col)),
                                 std::string(col) + " '" + get(col) + "' is not a count");
            (std::string(col) == "alt_reads" ? v.alt_reads : v.depth) = *n;
        }
        if (std::isnan(v.vaf) && v.alt_reads >= 0 && v.depth > 0) v.vaf = read_fraction(v.alt_reads, v.depth);
        v.source = name + ":" + std::to_string(line_no);
        if (std::find(set.samples.begin(), set.samples.end(), v.sample) == set.samples.end())
            set.samples.push_back(v.sample);
        set.variants.push_back(std::move(v));
    }
    if (!have_header) throw InputError(at(name, line_no), "empty variants table", "expected a header line");
    return set;
}
}  // namespace kitrx
