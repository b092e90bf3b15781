// SPDX-License-Identifier: MIT
#include "kitrx/panel/annotate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "kitrx/common/stats.hpp"

namespace kitrx {

namespace {

bool is_primary_exon(const VariantName& n) {
    if (n.gene == "PDGFRA") return true;
    return n.exon == 9 || n.exon == 11;
}

bool is_secondary_exon(const VariantName& n) {
    return n.gene == "KIT" && (n.exon == 13 || n.exon == 14 || n.exon == 17 || n.exon == 18);
}

}  // namespace

bool primary_key_matches(const std::string& key, const VariantName& name) {
    const auto colon = key.find(':');
    if (colon == std::string::npos) return key == name.protein;
    return key.substr(0, colon) == name.gene && key.substr(colon + 1) == name.protein;
}

namespace {

bool is_candidate(const KitVariant& v, const ActivityPanel* panel) {
    if (!panel) return false;
    const PanelMatch m = panel->match(v.name, VariantRole::kPrimary);
    return m.rule && m.rule->context == VariantRole::kPrimary &&
           (m.level == MatchLevel::kExact || m.level == MatchLevel::kCodon);
}

// One name of the input's own HGVS ("NM_000222.2:c.2447A>T", "p.(Trp557Ter)", "p.D816V") split
// into its transcript ("" when none) and the change without the "c."/"p." prefix and parentheses.
struct SourceName {
    std::string transcript;
    char kind = 0;  // 'c' or 'p'
    std::string change;
};

std::vector<SourceName> split_source_hgvs(const std::string& text) {
    std::vector<SourceName> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        std::string token = text.substr(start, end - start);
        start = end + 1;
        SourceName n;
        const auto colon = token.find(':');
        if (colon != std::string::npos) {
            n.transcript = token.substr(0, colon);
            token = token.substr(colon + 1);
        }
        if (token.size() < 3 || token[1] != '.' || (token[0] != 'c' && token[0] != 'p')) continue;
        n.kind = token[0];
        // TSO500 appends the protein to a synonymous c. ("c.4731G>A(p.(Ala1577=))"): c. part only.
        std::string change = token.substr(2);
        if (n.kind == 'c') change = change.substr(0, change.find('('));
        change.erase(std::remove(change.begin(), change.end(), '('), change.end());
        change.erase(std::remove(change.begin(), change.end(), ')'), change.end());
        n.change = change;
        out.push_back(std::move(n));
    }
    return out;
}

std::string without_version(const std::string& accession) {
    return accession.substr(0, accession.find('.'));
}

// Compares the input's own HGVS with kitrx's name. Returns "" when they agree, else what differs.
// A c. is compared as written; a p. against kitrx's three-letter and one-letter forms (files use
// either; "Ter" and "*" are the same stop). Another transcript version (NM_000222.2 vs our
// NM_000222.3) is counted separately: the c. numbering of KIT did not change between them.
std::string compare_source_hgvs(const KitVariant& v, std::string& other_transcript) {
    std::string differs;
    for (const auto& s : split_source_hgvs(v.observation.source_hgvs)) {
        if (!s.transcript.empty() && s.kind == 'c') {
            const std::string t = without_version(s.transcript);
            const Transcript& ours = GenomeModel::builtin(Build::kGRCh38).transcript(v.name.gene);
            if (s.transcript != ours.accession && t != without_version(ours.ensembl))
                other_transcript = s.transcript;
        }
        if (s.kind == 'c' && "c." + s.change != v.name.hgvs_c) {
            differs += (differs.empty() ? "" : ", ") + ("c." + s.change) + " vs " + v.name.hgvs_c;
        } else if (s.kind == 'p') {
            auto norm = [](std::string x) {
                for (auto at = x.find("Ter"); at != std::string::npos; at = x.find("Ter"))
                    x.replace(at, 3, "*");
                x.erase(std::remove(x.begin(), x.end(), '('), x.end());
                x.erase(std::remove(x.begin(), x.end(), ')'), x.end());
                return x;
            };
            const std::string theirs = norm(s.change);
            const std::string three =
                norm(v.name.hgvs_p.size() > 2 ? v.name.hgvs_p.substr(2) : v.name.hgvs_p);
            if (theirs != three && theirs != norm(v.name.protein))
                differs += (differs.empty() ? "" : ", ") + ("p." + s.change) + " vs " + v.name.hgvs_p;
        }
    }
    return differs;
}

}  // namespace

void assign_roles(std::vector<KitVariant>& variants, const RoleOptions& options) {
    std::map<std::string, std::vector<KitVariant*>> by_sample;
    for (auto& v : variants) by_sample[v.observation.sample].push_back(&v);
    auto user_primary = [&](const KitVariant* v) {
        return std::any_of(options.primary.begin(), options.primary.end(),
                           [&](const std::string& key) { return primary_key_matches(key, v->name); });
    };
    for (auto& [sample, list] : by_sample) {
        bool has_primary = false, has_plain_secondary = false;
        std::vector<bool> candidate(list.size(), false);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const KitVariant* v = list[i];
            if (v->name.consequence == Consequence::kSynonymous) continue;
            if (user_primary(v) || is_primary_exon(v->name)) {
                has_primary = true;
            } else if (is_secondary_exon(v->name)) {
                candidate[i] = is_candidate(*v, options.panel);
                if (!candidate[i]) has_plain_secondary = true;
            }
        }
        const bool use_candidates = !has_primary && !has_plain_secondary;
        for (std::size_t i = 0; i < list.size(); ++i) {
            KitVariant* v = list[i];
            v->primary_candidate = false;
            if (v->name.consequence == Consequence::kSynonymous) {
                v->role = VariantRole::kUnknown;
                v->role_reason = "synonymous";
            } else if (user_primary(v)) {
                v->role = VariantRole::kPrimary;
                v->role_reason = "primary by --primary";
            } else if (is_primary_exon(v->name)) {
                v->role = VariantRole::kPrimary;
                v->role_reason = v->name.gene == "PDGFRA"
                                     ? "PDGFRA driver"
                                     : "KIT exon " + std::to_string(v->name.exon) + " primary driver";
            } else if (candidate[i] && use_candidates) {
                v->role = VariantRole::kPrimary;
                v->primary_candidate = true;
                v->role_reason = "primary candidate: no exon 9/11 driver in the sample and the panel lists " +
                                 v->name.protein + " as a primary driver; confirm with --primary";
            } else if (is_secondary_exon(v->name)) {
                v->role = VariantRole::kSecondary;
                v->role_reason = "KIT exon " + std::to_string(v->name.exon) + " secondary (resistance)";
                if (!has_primary) v->role_reason += "; no primary in the sample";
            } else {
                v->role = VariantRole::kUnknown;
                v->role_reason = "outside the primary and secondary hotspot exons";
            }
        }
    }
}

}  // namespace kitrx

namespace kitrx {

std::optional<KitVariant> name_observation(const Observation& observation,
                                           const VariantNamer& namer,
                                           const std::vector<std::string>& genes,
                                           const std::string& file,
                                           Build build) {
    if (!is_chr4_name(observation.chrom)) return std::nullopt;
    const std::string gene = namer.gene_at(observation.pos0, observation.ref.size());
    if (gene.empty() || std::find(genes.begin(), genes.end(), gene) == genes.end()) return std::nullopt;
    const SourceLocation where{file, 0, 0, observation.record_id};
    const std::string expected = namer.check_ref(observation.pos0, observation.ref);
    if (!expected.empty()) {
        const Build other = build == Build::kGRCh37 ? Build::kGRCh38 : Build::kGRCh37;
        throw InputError(where,
                         "REF '" + observation.ref + "' does not match the " + to_string(build) +
                             " reference '" + expected + "'",
                         "is the input " + to_string(other) + "? try --build " + to_string(other));
    }
    KitVariant v;
    v.observation = observation;
    try {
        v.name = namer.name(gene, observation.pos0, observation.ref, observation.alt);
    } catch (const std::invalid_argument& e) {
        throw InputError(where, e.what());
    } catch (const std::out_of_range& e) {
        throw InputError(where, e.what(), "the allele reaches beyond the shipped reference window");
    }
    return v;
}

namespace {

std::int64_t ref_end(const Observation& o) {
    return o.pos0 + static_cast<std::int64_t>(o.ref.size());
}

double observed_fraction(const Observation& o) {
    if (o.has_counts()) return read_fraction(o.alt_reads, o.depth);
    return o.has_vaf() ? o.vaf : std::nan("");
}

bool fractions_agree(const Observation& a, const Observation& b, double max_ratio) {
    const double fa = observed_fraction(a), fb = observed_fraction(b);
    if (std::isnan(fa) || std::isnan(fb) || fa <= 0 || fb <= 0) return false;
    return std::max(fa, fb) / std::min(fa, fb) <= max_ratio;
}

std::int64_t mean_count(std::int64_t a, std::int64_t b) {
    if (a < 0 || b < 0) return -1;
    return (a + b + 1) / 2;
}

}  // namespace

void merge_cis(std::vector<KitVariant>& variants,
               const AnnotateOptions& options,
               const VariantNamer& namer,
               const std::string& file,
               Build build,
               Diagnostics& diag) {
    std::vector<KitVariant> out;
    out.reserve(variants.size());
    std::vector<bool> consumed(variants.size(), false);
    for (std::size_t i = 0; i < variants.size(); ++i) {
        if (consumed[i]) continue;
        KitVariant current = variants[i];
        for (std::size_t j = i + 1; j < variants.size(); ++j) {
            if (consumed[j]) continue;
            const Observation& a = current.observation;
            const Observation& b = variants[j].observation;
            if (a.sample != b.sample || current.name.gene != variants[j].name.gene) continue;
            if (b.pos0 < ref_end(a) || b.pos0 - ref_end(a) > options.merge_max_distance) continue;
            if (!fractions_agree(a, b, options.merge_max_vaf_ratio)) continue;
            MergedAllele merged;
            if (!merge_alleles(GenomeModel::builtin(build).reference(), a.pos0, a.ref, a.alt, b.pos0, b.ref,
                               b.alt, merged))
                continue;
            Observation m = a;
            m.pos0 = merged.pos0;
            m.ref = merged.ref;
            m.alt = merged.alt;
            m.alt_reads = mean_count(a.alt_reads, b.alt_reads);
            m.depth = mean_count(a.depth, b.depth);
            m.vaf = (a.has_vaf() && b.has_vaf()) ? (a.vaf + b.vaf) / 2 : std::nan("");
            m.af_source = "merged(" + a.af_source + ")";
            m.alt_fwd = mean_count(a.alt_fwd, b.alt_fwd);
            m.alt_rev = mean_count(a.alt_rev, b.alt_rev);
            m.record_id = a.record_id + "+" + b.record_id;
            if (!a.source_hgvs.empty() || !b.source_hgvs.empty())
                m.source_hgvs = a.source_hgvs + " + " + b.source_hgvs;
            auto named = name_observation(m, namer, {current.name.gene}, file, build);
            if (!named) continue;
            diag.note("merged in cis: " + a.record_id + " and " + b.record_id + " -> " + named->name.hgvs_c);
            diag.count("records merged in cis", 2);
            current = std::move(*named);
            consumed[j] = true;
        }
        out.push_back(std::move(current));
    }
    variants = std::move(out);
}

AnnotationResult annotate_input(const SourceOptions& source_options,
                                const AnnotateOptions& options,
                                const ActivityPanel& panel,
                                Diagnostics& diag) {
    return annotate_input(
        source_options, options, [&]() -> const ActivityPanel& { return panel; }, diag);
}

AnnotationResult annotate_input(const SourceOptions& source_options,
                                const AnnotateOptions& options,
                                const std::function<const ActivityPanel&()>& get_panel,
                                Diagnostics& diag) {
    auto source = open_source(source_options, diag);
    const Build build = source->info().build;
    const VariantNamer namer(GenomeModel::builtin(build));
    std::vector<KitVariant> named;
    std::int64_t ignored_pdgfra = 0;
    // One change reported twice for a sample (a repeated record, or two spellings that normalise
    // to the same HGVS) would become a phantom second clone that counts twice in every burden.
    std::unordered_map<std::string, std::string> first_record;  // sample, gene, c. -> record
    std::int64_t with_source_hgvs = 0, source_mismatches = 0;
    std::set<std::string> other_transcripts;
    source->run([&](Observation&& o) {
        if (options.pass_only && o.filter != "PASS" && o.filter != ".") {
            diag.count("observations not PASS (dropped by --pass-only)");
            return;
        }
        auto v = name_observation(o, namer, source_options.genes, source_options.path, build);
        if (!v) {
            diag.count("observations outside the selected genes");
            return;
        }
        if (!v->observation.source_hgvs.empty()) {
            ++with_source_hgvs;
            std::string transcript;
            const std::string differs = compare_source_hgvs(*v, transcript);
            if (!transcript.empty()) other_transcripts.insert(transcript);
            if (!differs.empty()) {
                ++source_mismatches;
                diag.count("source HGVS differing from kitrx's name");
                diag.warn("source_hgvs_mismatch", source_options.path + ": " + o.record_id + " " + o.sample +
                                                      ": the file names it " + differs +
                                                      " (kitrx's name kept)");
            }
        }
        const std::string key = v->observation.sample + '\t' + v->name.gene + '\t' + v->name.hgvs_c;
        const auto [it, first] = first_record.emplace(key, v->observation.record_id);
        if (!first) {
            const SourceLocation where{source_options.path, 0, 0, v->observation.record_id};
            const std::string what = "sample '" + v->observation.sample + "': " + v->name.gene + " " +
                                     v->name.hgvs_c + " is reported again (first by record " + it->second +
                                     ")";
            if (source_options.strict)
                throw InputError(where, what, "remove the duplicate records (bcftools norm -d exact)");
            diag.warn("duplicate_record",
                      where.to_string() + ": " + what +
                          "; the first is kept (bcftools norm -d exact removes duplicates)");
            diag.count("duplicate_record");
            return;
        }
        named.push_back(std::move(*v));
    });
    if (options.merge_cis) merge_cis(named, options, namer, source_options.path, build, diag);
    const ActivityPanel& panel = get_panel();
    assign_roles(named, RoleOptions{options.primary, &panel});
    AnnotationResult result;
    result.source = source->info();
    if (auto it = result.source.records_in_unselected_genes.find("PDGFRA");
        it != result.source.records_in_unselected_genes.end() && it->second > 0) {
        ignored_pdgfra = it->second;
        diag.warn("pdgfra_not_selected", source_options.path + ": " + std::to_string(ignored_pdgfra) +
                                             " record(s) in PDGFRA target exons ignored: PDGFRA variants "
                                             "present; add --genes KIT,PDGFRA");
        diag.count("records in PDGFRA targets ignored (--genes without PDGFRA)", ignored_pdgfra);
    }
    if (with_source_hgvs > 0) {
        std::string note = "source HGVS differs from kitrx's name for " + std::to_string(source_mismatches) +
                           " of " + std::to_string(with_source_hgvs) + " variants";
        if (!other_transcripts.empty()) {
            note += "; the file names them on ";
            const char* sep = "";
            for (const auto& t : other_transcripts) {
                note += sep + t;
                sep = ", ";
            }
            note += " (kitrx: the MANE Select transcript)";
        }
        result.source.notes.push_back(note);
        diag.summary(source_options.path + ": " + note);
    }
    result.hotspots = source->hotspot_status();
    result.exons = source->exon_coverage();
    result.variants.reserve(named.size());
    for (auto& v : named) {
        AnnotatedVariant a;
        a.match = panel.match(v.name, v.role);
        a.variant = std::move(v);
        result.variants.push_back(std::move(a));
    }
    return result;
}

}  // namespace kitrx
