// SPDX-License-Identifier: MIT
// clones: one sample's variants grouped into clones with their fractions, flags and calls (model
// in clones.hpp); the interval arithmetic is in clone_intervals.cpp.
#include "kitrx/clones/clones.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include "kitrx/common/stats.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/io/allele_calling.hpp"

namespace kitrx {

std::string to_string(CloneStatus s) {
    switch (s) {
        case CloneStatus::kDetected:
            return "detected";
        case CloneStatus::kNotDetected:
            return "not_detected";
        case CloneStatus::kNotCovered:
            return "not_covered";
        case CloneStatus::kNotAssessed:
            return "not_assessed";
    }
    return "not_assessed";
}

const std::vector<std::string>& warning_flags() {
    static const std::vector<std::string> flags{kFlagPrimaryNotDetected, kFlagPrimaryCandidate,
                                                kFlagMultiplePrimaries, kFlagVafAbovePrimary,
                                                kFlagClonesExceedTumour};
    return flags;
}

std::string flag_description(std::string_view flag) {
    if (flag == kFlagPrimaryNotDetected)
        return "no primary (KIT exon 9/11, PDGFRA or --primary) variant detected: clone fractions "
               "and tumour fraction are not estimated (vaf only) unless a primary candidate is the "
               "reference";
    if (flag == kFlagPrimaryCandidate)
        return "the truncal reference is a primary candidate (a change the panel lists as a "
               "primary driver, e.g. K642E or N822K), not a confirmed exon 9/11 driver; confirm it "
               "with --primary";
    if (flag == kFlagMultiplePrimaries)
        return "more than one primary variant: fractions are relative to the highest-VAF one, "
               "which assumes it is truncal";
    if (flag == kFlagVafAbovePrimary)
        return "a clone's VAF exceeds the primary's (ratio > 1): possible KIT amplification, "
               "subclonal primary or loss of the wild-type allele; fraction capped at 1, uncapped "
               "ratio reported";
    if (flag == kFlagClonesExceedTumour)
        return "secondary clone fractions sum beyond 1: they cannot all be separate subclones "
               "(shared cells, amplification or a subclonal primary)";
    if (flag == kFlagCapped) return "ratio above 1 shown as 1";
    if (flag == kFlagNoCounts) return "no read counts: intervals unknown";
    return "";
}

static bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool Clone::has_flag(std::string_view flag) const {
    return contains(flags, flag);
}
bool SampleClones::has_flag(std::string_view flag) const {
    return contains(flags, flag);
}
std::vector<std::string> SampleClones::warnings() const {
    std::vector<std::string> out;
    for (const auto& f : warning_flags())
        if (has_flag(f)) out.push_back(f);
    return out;
}

static std::string join_proteins(const std::vector<CloneVariant>& variants, const char* separator) {
    std::vector<std::string> proteins;
    for (const auto& v : variants) proteins.push_back(v.protein);
    return join(proteins, separator);
}

std::string Clone::variant_names() const {
    return join_proteins(variants, ",");
}
std::string Clone::short_name() const {
    return join_proteins(variants, "+");
}

const Clone* SampleClones::find(std::string_view clone_id) const {
    for (const auto& c : clones)
        if (c.id == clone_id) return &c;
    return nullptr;
}

std::vector<const Clone*> SampleClones::detected_secondaries() const {
    std::vector<const Clone*> out;
    for (const auto& c : clones)
        if (c.detected() && c.role == VariantRole::kSecondary) out.push_back(&c);
    return out;
}

namespace {

void add_flag(std::vector<std::string>& flags, const char* flag) {
    if (!contains(flags, flag)) flags.emplace_back(flag);
}

bool forms_clone(const KitVariant& v) {
    if (v.role != VariantRole::kPrimary && v.role != VariantRole::kSecondary) return false;
    switch (v.name.consequence) {
        case Consequence::kSynonymous:
        case Consequence::kIntronic:
        case Consequence::kSpliceRegion:
            return false;
        default:
            return true;
    }
}

// A call with zero supporting reads is a negative result; a call without any number is a call.
bool is_detected(const Observation& o) {
    if (o.alt_reads > 0) return true;
    if (o.alt_reads == 0) return false;
    if (o.has_vaf()) return o.vaf > 0.0;
    return true;
}

CloneVariant make_member(const AnnotatedVariant& av, std::size_t index) {
    CloneVariant m;
    const auto& o = av.variant.observation;
    m.gene = av.variant.name.gene;
    m.protein = av.variant.name.protein.empty() ? av.variant.name.hgvs_c : av.variant.name.protein;
    m.hgvs_c = av.variant.name.hgvs_c;
    m.exon = av.variant.name.exon;
    m.codon_begin = av.variant.name.codon_begin;
    m.codon_end = av.variant.name.codon_end;
    m.alt_reads = o.alt_reads;
    m.depth = o.depth;
    m.vaf = o.has_counts() ? read_fraction(o.alt_reads, o.depth) : o.vaf;
    m.input_index = index;
    m.activity.reserve(av.match.calls.size());
    for (const auto& call : av.match.calls) m.activity.push_back(call.activity);
    m.calls = av.match.calls;
    return m;
}

// Pools the members' counts and calls into the clone's own fields.
void summarise_members(Clone& c) {
    bool all_counts = true;
    std::int64_t alt = 0, depth = 0;
    double vaf_sum = 0.0;
    int vaf_n = 0;
    std::size_t n_drugs = 0;
    for (const auto& m : c.variants) {
        if (m.alt_reads >= 0 && m.depth > 0) {
            alt += m.alt_reads;
            depth += m.depth;
        } else {
            all_counts = false;
        }
        if (!std::isnan(m.vaf)) {
            vaf_sum += m.vaf;
            ++vaf_n;
        }
        n_drugs = std::max(n_drugs, m.activity.size());
    }
    if (all_counts) {
        c.alt_reads = alt;
        c.depth = depth;
        c.vaf = read_fraction(alt, depth);
        c.vaf_ci = wilson_interval(alt, depth);
    } else {
        c.vaf = vaf_n > 0 ? vaf_sum / vaf_n : kUnknownFraction;
    }
    c.activity.assign(n_drugs, Activity::kSensitive);
    for (const auto& m : c.variants)
        for (std::size_t i = 0; i < n_drugs; ++i)
            c.activity[i] =
                least_favourable(c.activity[i], i < m.activity.size() ? m.activity[i] : Activity::kUnknown);
    if (c.variants.size() > 1) add_flag(c.flags, kFlagCisGroup);
}

std::string member_key(const CloneVariant& m) {
    return m.gene + ":" + m.protein;
}

std::string clone_id(const std::vector<CloneVariant>& members) {
    std::string id = member_key(members.front());
    for (std::size_t i = 1; i < members.size(); ++i)
        id += "+" + (members[i].gene == members.front().gene ? members[i].protein : member_key(members[i]));
    return id;
}

bool key_matches(const std::string& key, const CloneVariant& m) {
    const auto colon = key.find(':');
    if (colon == std::string::npos) return key == m.protein;
    return key.substr(0, colon) == m.gene && key.substr(colon + 1) == m.protein;
}

void check_cis_groups(const CloneOptions& options) {
    for (const auto& group : options.cis_groups)
        for (const auto& key : group) {
            const auto colon = key.find(':');
            if (key.empty() || (colon != std::string::npos && (colon == 0 || colon + 1 == key.size())))
                throw std::invalid_argument("malformed cis-group variant '" + key +
                                            "'; expected GENE:PROTEIN (KIT:V654A) or PROTEIN (V654A)");
        }
}

// Clones of one sample from its eligible variants (input order), before fractions.
std::vector<Clone> group_members(const std::vector<CloneVariant>& members,
                                 const std::vector<VariantRole>& roles,
                                 const std::vector<bool>& detected,
                                 const CloneOptions& options) {
    std::vector<int> group_of(members.size(), -1);
    if (options.group_cis) {
        for (std::size_t g = 0; g < options.cis_groups.size(); ++g) {
            std::vector<std::size_t> hits;
            for (std::size_t i = 0; i < members.size(); ++i) {
                if (group_of[i] >= 0 || roles[i] != VariantRole::kSecondary) continue;
                for (const auto& key : options.cis_groups[g])
                    if (key_matches(key, members[i])) {
                        hits.push_back(i);
                        break;
                    }
            }
            if (hits.size() >= 2)
                for (auto i : hits) group_of[i] = static_cast<int>(g);
        }
    }
    std::vector<Clone> clones;
    std::map<int, std::size_t> clone_of_group;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (group_of[i] >= 0) {
            auto it = clone_of_group.find(group_of[i]);
            if (it != clone_of_group.end()) {
                Clone& c = clones[it->second];
                c.variants.push_back(members[i]);
                if (detected[i]) c.status = CloneStatus::kDetected;
                continue;
            }
            clone_of_group[group_of[i]] = clones.size();
        }
        Clone c;
        c.role = roles[i];
        c.variants.push_back(members[i]);
        c.status = detected[i] ? CloneStatus::kDetected : CloneStatus::kNotDetected;
        clones.push_back(std::move(c));
    }
    for (auto& c : clones) {
        c.id = clone_id(c.variants);
        summarise_members(c);
    }
    // The same variant twice in one sample (two records naming one change) keeps distinct ids.
    std::map<std::string, int> seen;
    for (auto& c : clones) {
        const int n = ++seen[c.id];
        if (n > 1) c.id += "#" + std::to_string(n);
    }
    return clones;
}

double value_or(double v, double fallback) {
    return std::isnan(v) ? fallback : v;
}

void set_fraction_relative(Clone& c, const Clone& ref, SampleClones& sample) {
    const double ratio = c.vaf / ref.vaf;
    c.fraction_uncapped = ratio;
    c.fraction = std::isnan(ratio) ? ratio : std::min(1.0, ratio);
    if (ratio > 1.0) {
        // The heterozygous-diploid reading has failed for this pair; say so instead of a bare 1.
        add_flag(c.flags, kFlagCapped);
        add_flag(c.flags, kFlagVafAbovePrimary);
        if (c.detected()) add_flag(sample.flags, kFlagVafAbovePrimary);
    }
    if (c.alt_reads >= 0 && c.depth > 0 && ref.alt_reads >= 0 && ref.depth > 0) {
        ConfidenceInterval ci = mover_r_ratio(c.vaf, c.vaf_ci, ref.vaf, ref.vaf_ci);
        c.ratio_ci = ci;
        if (ci.known()) ci = {std::min(1.0, std::max(0.0, ci.low)), std::min(1.0, ci.high)};
        c.fraction_ci = ci;
    } else if (c.status == CloneStatus::kDetected || c.status == CloneStatus::kNotDetected) {
        add_flag(c.flags, kFlagNoCounts);
        if (c.detected()) add_flag(sample.flags, kFlagNoCounts);
    }
    if (!std::isnan(c.lod_vaf)) c.lod_fraction = std::min(1.0, c.lod_vaf / ref.vaf);
}

// Judges a negative result by its depth: below the floor nothing was shown either way.
CloneStatus negative_status(std::int64_t depth, const CloneOptions& options) {
    if (depth >= 0 && depth < std::max<std::int64_t>(1, options.min_depth)) return CloneStatus::kNotCovered;
    return CloneStatus::kNotDetected;
}

bool hotspot_named_by(const HotspotStatus& h, const CloneVariant& m) {
    if (m.gene != h.gene || m.codon_begin <= 0) return false;
    if (h.codon < m.codon_begin || h.codon > std::max(m.codon_begin, m.codon_end)) return false;
    return (!h.label.empty() && h.label.back() == '*') || m.protein == h.label;
}

bool by_fraction_desc(const Clone& a, const Clone& b) {
    return value_or(a.fraction, -1.0) > value_or(b.fraction, -1.0);
}

SampleClones build_sample(const std::string& sample_name,
                          const std::vector<std::size_t>& indices,
                          const std::vector<AnnotatedVariant>& variants,
                          const std::vector<const HotspotStatus*>& hotspots,
                          const CloneOptions& options) {
    SampleClones sample;
    sample.sample = sample_name;
    std::vector<CloneVariant> members;
    std::vector<VariantRole> roles;
    std::vector<bool> detected;
    for (auto i : indices) {
        members.push_back(make_member(variants[i], i));
        roles.push_back(variants[i].variant.role);
        detected.push_back(is_detected(variants[i].variant.observation));
    }
    std::vector<Clone> clones = group_members(members, roles, detected, options);
    for (Clone& c : clones) {
        bool candidate = false;
        for (const auto& m : c.variants)
            candidate = candidate || variants[m.input_index].variant.primary_candidate;
        if (candidate && c.role == VariantRole::kPrimary) add_flag(c.flags, kFlagPrimaryCandidate);
        if (c.detected()) continue;
        c.status = negative_status(c.depth, options);
        if (c.depth > 0)
            c.lod_vaf = limit_of_detection(c.depth, options.calling.background_error, options.calling);
        if (c.status == CloneStatus::kNotCovered) c.vaf = kUnknownFraction;
    }
    for (const HotspotStatus* h : hotspots) {
        if (h->detected) continue;
        bool named = false;
        for (const auto& other : clones)
            for (const auto& m : other.variants) named = named || hotspot_named_by(*h, m);
        if (named) continue;
        CloneVariant m;
        m.gene = h->gene;
        m.protein = h->label;
        m.codon_begin = m.codon_end = h->codon;
        Clone c;
        c.role = VariantRole::kSecondary;
        c.id = member_key(m);
        bool duplicate = false;
        for (const auto& other : clones) duplicate = duplicate || other.id == c.id;
        if (duplicate) continue;
        c.flags.emplace_back(kFlagHotspot);
        if (!h->assessed) {
            c.status = CloneStatus::kNotAssessed;
            c.variants.push_back(m);
            clones.push_back(std::move(c));
            continue;
        }
        m.alt_reads = 0;
        m.depth = h->depth;
        c.status = negative_status(h->depth, options);
        c.alt_reads = h->depth > 0 ? 0 : -1;
        c.depth = h->depth > 0 ? h->depth : -1;
        // Below the floor the reads are too few to call the locus wild type: no vaf, only the LoD.
        m.vaf = c.vaf = c.status == CloneStatus::kNotDetected ? 0.0 : kUnknownFraction;
        if (h->depth > 0 && c.status == CloneStatus::kNotDetected) c.vaf_ci = wilson_interval(0, h->depth);
        c.lod_vaf = h->lod_vaf;
        c.variants.push_back(m);
        clones.push_back(std::move(c));
    }

    // Truncal reference: the detected primary with the highest VAF; ties keep input order.
    int ref = -1;
    int n_primaries = 0;
    for (std::size_t i = 0; i < clones.size(); ++i) {
        const Clone& c = clones[i];
        if (c.role != VariantRole::kPrimary || !c.detected()) continue;
        ++n_primaries;
        if (ref < 0 || value_or(c.vaf, -1.0) > value_or(clones[static_cast<std::size_t>(ref)].vaf, -1.0))
            ref = static_cast<int>(i);
    }
    if (n_primaries > 1) add_flag(sample.flags, kFlagMultiplePrimaries);

    if (ref >= 0 && !std::isnan(clones[static_cast<std::size_t>(ref)].vaf) &&
        clones[static_cast<std::size_t>(ref)].vaf > 0.0) {
        const Clone reference = clones[static_cast<std::size_t>(ref)];
        if (reference.has_flag(kFlagPrimaryCandidate)) {
            add_flag(sample.flags, kFlagPrimaryNotDetected);
            add_flag(sample.flags, kFlagPrimaryCandidate);
        }
        double secondary_sum = 0.0;
        for (std::size_t i = 0; i < clones.size(); ++i) {
            Clone& c = clones[i];
            if (static_cast<int>(i) == ref) {
                c.fraction = c.fraction_uncapped = 1.0;
                c.fraction_ci = c.ratio_ci = {1.0, 1.0};
                add_flag(c.flags, kFlagTruncalReference);
                if (c.alt_reads < 0 || c.depth <= 0) {
                    add_flag(c.flags, kFlagNoCounts);
                    add_flag(sample.flags, kFlagNoCounts);
                }
                continue;
            }
            set_fraction_relative(c, reference, sample);
            if (c.detected() && c.role == VariantRole::kSecondary) secondary_sum += c.fraction_uncapped;
        }
        sample.secondary_fraction_sum = secondary_sum;
        if (secondary_sum > 1.0) add_flag(sample.flags, kFlagClonesExceedTumour);
        sample.tumour_fraction = std::min(1.0, 2.0 * reference.vaf);
        if (reference.vaf_ci.known())
            sample.tumour_fraction_ci = {std::min(1.0, 2.0 * reference.vaf_ci.low),
                                         std::min(1.0, 2.0 * reference.vaf_ci.high)};
    } else {
        // Without a truncal reference a ratio has no denominator: a secondary is never promoted
        // to one, and a share of the detected burden would read as a clone fraction.
        ref = -1;
        add_flag(sample.flags, kFlagPrimaryNotDetected);
        for (auto& c : clones) {
            add_flag(c.flags, kFlagPrimaryNotDetected);
            c.fraction = c.fraction_uncapped = kUnknownFraction;
            if (c.detected() && (c.alt_reads < 0 || c.depth <= 0)) {
                add_flag(c.flags, kFlagNoCounts);
                add_flag(sample.flags, kFlagNoCounts);
            }
        }
    }

    // Order: reference, other detected primaries, detected secondaries (fraction desc), then
    // not-detected clones in their original order.
    std::vector<std::size_t> order(clones.size());
    std::iota(order.begin(), order.end(), 0);
    auto rank_of = [&](std::size_t i) {
        const Clone& c = clones[i];
        if (static_cast<int>(i) == ref) return 0;
        if (!c.detected()) return 3;
        return c.role == VariantRole::kPrimary ? 1 : 2;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const int ra = rank_of(a), rb = rank_of(b);
        if (ra != rb) return ra < rb;
        if (ra == 1 || ra == 2) return by_fraction_desc(clones[a], clones[b]);
        return false;
    });
    for (auto i : order) {
        if (static_cast<int>(i) == ref) sample.reference = static_cast<int>(sample.clones.size());
        sample.clones.push_back(std::move(clones[i]));
    }
    return sample;
}

}  // namespace

std::vector<SampleClones> build_clones(const std::vector<AnnotatedVariant>& variants,
                                       const std::vector<HotspotStatus>& hotspots,
                                       const CloneOptions& options) {
    check_cis_groups(options);
    std::vector<std::string> samples;
    std::map<std::string, std::vector<std::size_t>> variants_of;
    std::map<std::string, std::vector<const HotspotStatus*>> hotspots_of;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const std::string& s = variants[i].variant.observation.sample;
        if (!variants_of.count(s) && !hotspots_of.count(s)) samples.push_back(s);
        if (forms_clone(variants[i].variant))
            variants_of[s].push_back(i);
        else
            variants_of[s];  // the sample exists even when none of its variants forms a clone
    }
    for (const auto& h : hotspots) {
        if (!variants_of.count(h.sample) && !hotspots_of.count(h.sample)) samples.push_back(h.sample);
        hotspots_of[h.sample].push_back(&h);
    }
    std::vector<SampleClones> out;
    out.reserve(samples.size());
    for (const auto& s : samples)
        out.push_back(build_sample(s, variants_of[s], variants, hotspots_of[s], options));
    return out;
}

namespace {

// A member without copied calls (hotspot clones; clones built from activity vectors only): its
// activity for `drug` with no evidence, unknown when it has none.
const DrugActivity& bare_call(const CloneVariant& m, std::size_t drug) {
    static const DrugActivity kBare[] = {
        DrugActivity{Activity::kSensitive}, DrugActivity{Activity::kIntermediate},
        DrugActivity{Activity::kResistant}, DrugActivity{Activity::kUnknown}};
    const Activity a = drug < m.activity.size() ? m.activity[drug] : Activity::kUnknown;
    return kBare[static_cast<int>(a)];
}

}  // namespace

CloneCall clone_drug_call(const Clone& clone, std::size_t drug, std::string_view dose) {
    CloneCall out;
    if (!clone.compound_rule.empty()) {
        if (drug < clone.compound_calls.size()) {
            const DrugActivity& c = call_at_dose(clone.compound_calls[drug], dose);
            out.activity = c.activity;
            out.grade = evidence_grade(c);
            out.low_confidence = c.low_confidence;
            out.conflicting = is_conflicting(c);
            out.deciding.push_back(&c);
        }
        return out;
    }
    bool any = false;
    for (const auto& m : clone.variants) {
        const DrugActivity& c =
            drug < m.calls.size() ? call_at_dose(m.calls[drug], dose) : bare_call(m, drug);
        if (!any || least_favourable(out.activity, c.activity) != out.activity) {
            out = CloneCall{};
            out.activity = c.activity;
            out.grade = evidence_grade(c);
            any = true;
        } else if (c.activity != out.activity) {
            continue;  // a more favourable member does not decide
        } else {
            out.grade = std::max(out.grade, evidence_grade(c));  // weakest of the deciding members
        }
        out.low_confidence = out.low_confidence || c.low_confidence;
        out.conflicting = out.conflicting || is_conflicting(c);
        out.deciding.push_back(&c);
    }
    return out;
}

void apply_compound_rules(SampleClones& sample, const ActivityPanel& panel) {
    if (panel.compound_rules().empty()) return;
    for (auto& c : sample.clones) {
        if (c.variants.size() < 2) continue;
        std::vector<std::pair<std::string, int>> members;
        for (const auto& m : c.variants) members.emplace_back(m.gene, m.exon);
        const CompoundRule* rule = panel.match_compound(members);
        if (!rule) continue;
        c.compound_rule = rule->id;
        c.compound_calls.assign(panel.drugs().size(), DrugActivity{});  // a drug not listed: unknown
        c.activity.assign(panel.drugs().size(), Activity::kUnknown);
        for (std::size_t i = 0; i < panel.drugs().size(); ++i) {
            const auto it = rule->activity.find(panel.drugs()[i].id);
            if (it == rule->activity.end()) continue;
            c.compound_calls[i] = it->second;
            c.activity[i] = it->second.activity;
        }
        add_flag(c.flags, kFlagCompoundRule);
    }
}

std::string phase_unknown_note(const SampleClones& sample) {
    std::vector<std::string> pocket, loop;
    for (const Clone& c : sample.clones) {
        if (!c.detected() || c.role != VariantRole::kSecondary || c.variants.size() != 1) continue;
        const auto& v = c.variants.front();
        if (v.gene != "KIT") continue;
        if (v.exon == 13 || v.exon == 14) pocket.push_back(v.protein);
        if (v.exon == 17 || v.exon == 18) loop.push_back(v.protein);
    }
    if (pocket.empty() || loop.empty()) return "";
    return "phase unknown: ATP-pocket (" + join(pocket, ", ") + ") and activation-loop (" + join(loop, ", ") +
           ") mutations are ranked as separate clones (in trans); if two are on one allele, ripretinib is "
           "resistant to that clone [M24] and other drugs are unknown: rerun with --cis-group " +
           pocket.front() + "," + loop.front() + " to see that case";
}

}  // namespace kitrx
