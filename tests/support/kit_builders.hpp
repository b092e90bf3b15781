// SPDX-License-Identifier: MIT
// Hand-built activity panels and annotated variants for the clones/regimens tests. The calls are
// transcribed from /work/shared/evidence/activity_panel_sources.md section 2 (keys in comments),
// so the tests do not depend on the panel loader or on the shipped panel's content.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kitrx/panel/annotate.hpp"
#include "kitrx/panel/panel.hpp"

namespace kitrx::test {

inline constexpr Activity S = Activity::kSensitive;
inline constexpr Activity I = Activity::kIntermediate;
inline constexpr Activity R = Activity::kResistant;
inline constexpr Activity U = Activity::kUnknown;

// Panel with these drugs, in this order (aliases: the upper-case id).
inline ActivityPanel make_panel(const std::vector<std::string>& drug_ids) {
    ActivityPanel panel;
    panel.name = "test panel";
    panel.source = "<test>";
    for (const auto& id : drug_ids) {
        Drug d;
        d.id = id;
        d.name = id;
        std::string alias = id;
        for (auto& c : alias) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        d.aliases.push_back(alias);
        panel.drugs_.push_back(d);
    }
    return panel;
}

// The five approved GIST agents (section 2.1 of the evidence file).
inline ActivityPanel approved_panel() {
    return make_panel({"imatinib", "sunitinib", "regorafenib", "ripretinib", "avapritinib"});
}

// Per-drug calls of section 2.1 (order: imatinib, sunitinib, regorafenib, ripretinib,
// avapritinib) plus sorafenib from section 2.2, by variant.
inline std::map<std::string, Activity> evidence_calls(const std::string& protein) {
    // Exon 11 primary: IM S [NCCN], SU S [B22], REGO S [OKB18 label, N1], RIPR S [SM19, B22],
    // AVA S [FDA label via MOA]; sorafenib S [CGI].
    if (protein == "W557_K558del" || protein == "V559D")
        return {{"imatinib", S},   {"sunitinib", S},   {"regorafenib", S},
                {"ripretinib", S}, {"avapritinib", S}, {"sorafenib", S}};
    // Exon 9 primary A502_Y503dup: IM I [MG10], SU S [REV7-T7], REGO U, RIPR S? [SM19], AVA U.
    if (protein == "A502_Y503dup")
        return {{"imatinib", I},   {"sunitinib", S},   {"regorafenib", U},
                {"ripretinib", S}, {"avapritinib", U}, {"sorafenib", S}};
    // V654A secondary: IM R [CGI, OKB18 R2], SU S [S19], REGO R [SEED, S19; N3], RIPR I [N4],
    // AVA U [N5]; sorafenib S [H12].
    if (protein == "V654A")
        return {{"imatinib", R},   {"sunitinib", S},   {"regorafenib", R},
                {"ripretinib", I}, {"avapritinib", U}, {"sorafenib", S}};
    // N822K secondary: IM R [CGI], SU R [OKB18, S19 class], REGO S [SEED], RIPR S [SM19],
    // AVA S [g,x]; sorafenib S [H12].
    if (protein == "N822K")
        return {{"imatinib", R},   {"sunitinib", R},   {"regorafenib", S},
                {"ripretinib", S}, {"avapritinib", S}, {"sorafenib", S}};
    // D820Y secondary: IM R [OKB18 R2], SU R [OKB18 R2], REGO S [SEED], RIPR S [SM19], AVA S [g,x];
    // sorafenib S [H12].
    if (protein == "D820Y")
        return {{"imatinib", R},   {"sunitinib", R},   {"regorafenib", S},
                {"ripretinib", S}, {"avapritinib", S}, {"sorafenib", S}};
    // D816V: IM R [SCH], SU R [OKB18 R2], REGO R [SEED "not D816V"], RIPR S [SM19], AVA S [E17];
    // sorafenib R [H12].
    if (protein == "D816V")
        return {{"imatinib", R},   {"sunitinib", R},   {"regorafenib", R},
                {"ripretinib", S}, {"avapritinib", S}, {"sorafenib", R}};
    return {};
}

struct VariantSpec {
    std::string sample = "S1";
    std::string protein;
    int exon = 11;
    VariantRole role = VariantRole::kSecondary;
    std::int64_t alt_reads = -1;
    std::int64_t depth = -1;
    double vaf = -1.0;  // < 0: alt_reads / depth
    std::string gene = "KIT";
};

inline AnnotatedVariant make_variant(const VariantSpec& spec, const ActivityPanel& panel) {
    AnnotatedVariant av;
    Observation& o = av.variant.observation;
    o.sample = spec.sample;
    o.chrom = "chr4";
    o.alt_reads = spec.alt_reads;
    o.depth = spec.depth;
    if (spec.vaf >= 0.0)
        o.vaf = spec.vaf;
    else if (spec.depth > 0)
        o.vaf = static_cast<double>(spec.alt_reads) / static_cast<double>(spec.depth);
    av.variant.name.gene = spec.gene;
    av.variant.name.protein = spec.protein;
    av.variant.name.hgvs_p = "p." + spec.protein;
    av.variant.name.exon = spec.exon;
    av.variant.name.consequence = Consequence::kMissense;
    av.variant.role = spec.role;
    const auto calls = evidence_calls(spec.protein);
    av.match.level = calls.empty() ? MatchLevel::kNone : MatchLevel::kExact;
    for (const auto& drug : panel.drugs()) {
        DrugActivity da;
        auto it = calls.find(drug.id);
        da.activity = it == calls.end() ? Activity::kUnknown : it->second;
        av.match.calls.push_back(da);
    }
    return av;
}

inline VariantSpec primary(const std::string& protein,
                           std::int64_t alt,
                           std::int64_t depth,
                           std::string sample = "S1") {
    return VariantSpec{sample, protein, 11, VariantRole::kPrimary, alt, depth, -1.0};
}
inline VariantSpec secondary(
    const std::string& protein, int exon, std::int64_t alt, std::int64_t depth, std::string sample = "S1") {
    return VariantSpec{sample, protein, exon, VariantRole::kSecondary, alt, depth, -1.0};
}

}  // namespace kitrx::test
