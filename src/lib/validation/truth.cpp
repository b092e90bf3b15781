// SPDX-License-Identifier: MIT
// validation truth: the truth table (TSV) or truth VCF of a reference material read strictly,
// so that a typo in the lab's file is an error pointing at its line and column, not a silent FN.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "kitrx/io/text_file.hpp"
#include "kitrx/io/truth_vcf.hpp"
#include "kitrx/validation/validation.hpp"
#include "validation/validation_util.hpp"

namespace kitrx {

using namespace validation_detail;

namespace {

bool same_level(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

}  // namespace

TruthSet read_truth_tsv(std::istream& in, const std::string& name) {
    static const std::vector<std::string> kAllowed{"sample",  "level",        "replicate", "gene",
                                                   "variant", "expected_vaf", "note"};
    TruthSet truth;
    truth.path = name;
    std::map<std::string, int> column;  // name -> index
    std::string line;
    int line_no = 0;
    bool have_header = false;
    struct RunInfo {
        double level;
        std::string replicate;
        int line;
    };
    std::map<std::string, RunInfo> runs;
    std::set<std::pair<std::string, std::string>> seen_keys;
    while (std::getline(in, line)) {
        ++line_no;
        chomp(line);
        if (trim_space(line).empty() || line[0] == '#') continue;
        const std::vector<std::string> values = split_tabs(line);
        const std::vector<int> columns = tab_columns(line);
        if (!have_header) {
            for (std::size_t i = 0; i < values.size(); ++i) {
                const std::string col = lower(trim_space(values[i]));
                if (std::find(kAllowed.begin(), kAllowed.end(), col) == kAllowed.end())
                    throw InputError(at(name, line_no, columns[i]),
                                     "unknown truth column '" + values[i] + "'",
                                     "allowed columns: " + join(kAllowed, ", "));
                if (column.count(col))
                    throw InputError(at(name, line_no, columns[i]), "duplicate truth column '" + col + "'");
                column[col] = static_cast<int>(i);
            }
            for (const char* required : {"variant", "expected_vaf"})
                if (!column.count(required))
                    throw InputError(
                        at(name, line_no, 1), std::string("missing truth column '") + required + "'",
                        "header needs at least: variant, expected_vaf (and usually sample, level, "
                        "replicate, gene)");
            have_header = true;
            continue;
        }
        check_field_count(values, column.size(), name, line_no);
        auto field = [&](const char* col) -> std::string {
            auto it = column.find(col);
            return it == column.end() ? std::string()
                                      : trim_space(values[static_cast<std::size_t>(it->second)]);
        };
        auto col_of = [&](const char* col) {
            auto it = column.find(col);
            return it == column.end() ? 1 : columns[static_cast<std::size_t>(it->second)];
        };
        TruthEntry e;
        e.line = line_no;
        e.sample = column.count("sample") ? field("sample") : "*";
        if (e.sample.empty())
            throw InputError(at(name, line_no, col_of("sample")), "empty sample", "use '*' for every sample");
        auto fraction = [&](const char* col, const char* hint) {
            const std::string text = field(col);
            const auto v = parse_fraction(text);
            if (!v)
                throw InputError(at(name, line_no, col_of(col)),
                                 std::string(col) + " '" + text + "' is not a fraction in [0,1]", hint);
            return *v;
        };
        if (!is_missing(field("level"))) e.level = fraction("level", "write 0.005 or 0.5%");
        e.replicate = field("replicate");
        if (e.replicate == "NA" || e.replicate == ".") e.replicate.clear();
        e.gene = upper(field("gene"));
        e.variant = field("variant");
        e.note = field("note");
        const std::string lv = lower(e.variant);
        const bool negative = e.variant.empty() || lv == "." || lv == "none" || lv == "-";
        if (!negative) {
            try {
                e.key = parse_variant_key(e.gene, e.variant);
            } catch (const std::invalid_argument& ex) {
                throw InputError(at(name, line_no, col_of("variant")), ex.what());
            }
            if (e.gene.empty()) e.gene = e.key->gene;
            e.expected_vaf = fraction("expected_vaf", "write 0.075 or 7.5%");
            if (!seen_keys.insert({e.sample, e.key->str()}).second)
                throw InputError(at(name, line_no, col_of("variant")),
                                 "variant '" + e.variant + "' (" + e.key->str() +
                                     ") listed twice for sample '" + e.sample + "'");
        } else {
            e.variant = ".";
        }
        if (e.sample != "*") {
            auto [it, inserted] = runs.emplace(e.sample, RunInfo{e.level, e.replicate, line_no});
            if (!inserted && (!same_level(it->second.level, e.level) || it->second.replicate != e.replicate))
                throw InputError(at(name, line_no, col_of("level")),
                                 "sample '" + e.sample + "' has level/replicate '" + short_number(e.level) +
                                     "/" + e.replicate + "' but '" + short_number(it->second.level) + "/" +
                                     it->second.replicate + "' on line " + std::to_string(it->second.line),
                                 "a run has one level and one replicate label");
        }
        truth.entries.push_back(std::move(e));
    }
    if (!have_header) throw InputError(at(name, line_no), "empty truth table", "expected a header line");
    if (truth.entries.empty()) throw InputError(at(name, line_no), "truth table has no rows");
    return truth;
}

TruthSet read_truth_vcf(std::istream& in, const std::string& name) {
    TruthSet truth;
    truth.path = name;
    const int lines = read_truth_vcf_records(in, name, [&](const TruthVcfRecord& r) {
        const auto& f = r.fields;
        const auto pos1 = parse_count(f[1]);
        if (!pos1 || *pos1 <= 0)
            throw InputError(at(name, r.line, r.columns[1]), "malformed POS '" + f[1] + "'");
        const auto& info = r.info;
        const char* vaf_field = info.count("EXPECTED_VAF") ? "EXPECTED_VAF"
                                : info.count("VAF")        ? "VAF"
                                                           : "AF";
        if (!info.count(vaf_field))
            throw InputError(at(name, r.line, r.columns[7]), "no INFO/EXPECTED_VAF, INFO/VAF or INFO/AF",
                             "a truth VCF states the expected fraction of each ALT");
        const auto alts = split(f[4], ',');
        const auto vafs = split(info.at(vaf_field), ',');
        for (std::size_t i = 0; i < alts.size(); ++i) {
            TruthEntry e;
            e.line = r.line;
            e.sample = "*";
            e.gene = info.count("GENE") ? upper(info.at("GENE")) : "";
            const std::string text = genomic_key_text(f[0], *pos1, f[3], alts[i]);
            if (text.empty())
                throw InputError(at(name, r.line, r.columns[4]),
                                 "ALT '" + alts[i] + "' is not a sequence allele");
            e.key = VariantKey{KeyKind::kGenomic, "", text};
            e.variant = f[0] + ":" + f[1] + ":" + f[3] + ":" + alts[i];
            const auto vaf = parse_fraction(vafs.size() == alts.size() ? vafs[i] : vafs[0]);
            if (!vaf)
                throw InputError(at(name, r.line, r.columns[7]), std::string("INFO/") + vaf_field + " '" +
                                                                     info.at(vaf_field) +
                                                                     "' is not a fraction in [0,1]");
            e.expected_vaf = *vaf;
            truth.entries.push_back(std::move(e));
        }
    });
    if (truth.entries.empty()) throw InputError(at(name, lines), "truth VCF has no records");
    return truth;
}

TruthSet load_truth(const std::string& path) {
    const std::string text = read_text_file(path, "truth");
    if (starts_with(text, "BCF"))
        throw InputError(at(path, 0), "a BCF truth file is not supported",
                         "convert it with 'bcftools view -Ov' or write the truth TSV");
    std::istringstream in(text);
    if (starts_with(text, "##fileformat=VCF")) return read_truth_vcf(in, path);
    return read_truth_tsv(in, path);
}
}  // namespace kitrx
