// SPDX-License-Identifier: MIT
// report: model assembly, the clones/regimens/variants TSVs and the MultiQC custom-content files.
#include "kitrx/report/report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "kitrx/common/limits.hpp"
#include "kitrx/io/allele_calling.hpp"
#include "kitrx/version.hpp"
#include "report/report_util.hpp"

namespace kitrx {

using report_detail::join;

std::string input_stem(const std::string& path) {
    if (path.empty() || path == "-") return "stdin";
    std::string base = path;
    const auto slash = base.find_last_of('/');
    if (slash != std::string::npos) base = base.substr(slash + 1);
    auto strip = [&base](const std::string& ext) {
        if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0) {
            base.resize(base.size() - ext.size());
            return true;
        }
        return false;
    };
    if (!strip(".gz")) strip(".bgz");
    for (const char* ext : {".vcf", ".bcf", ".bam", ".cram", ".sam", ".tsv"})
        if (strip(ext)) break;
    return base.empty() ? "input" : base;
}

std::vector<std::string> ReportModel::citations_used() const {
    std::set<std::string> keys;
    if (!panel) return {};
    auto add = [&](const std::string& key) {
        if (panel->citations().count(key)) keys.insert(key);
    };
    // A call's evidence and that of its dose-qualified calls (shown through a dosed regimen).
    auto add_call = [&](const DrugActivity& call) {
        for (const auto& e : call.evidence) add(e.citation);
        for (const auto& d : call.at_dose)
            for (const auto& e : d.evidence) add(e.citation);
    };
    for (const auto& s : samples) {
        for (const auto& v : s.variants)
            for (const auto& call : v.match.calls) add_call(call);
        for (const auto& c : s.clones.clones)  // compound (in cis) rules
            for (const auto& call : c.compound_calls) add_call(call);
        for (const auto& r : s.regimens) {
            if (!r.regimen) continue;
            for (const auto& c : r.regimen->citations) add(c);
            for (const StandardOfCare* soc : r.standard)
                for (const auto& c : soc->citations) add(c);
        }
    }
    if (growth_model)
        for (const auto& c : growth_model->citations) add(c);
    return {keys.begin(), keys.end()};
}

std::vector<std::string> ReportModel::free_references() const {
    std::set<std::string> refs;
    auto add = [&](const std::string& c) {
        if (!panel || !panel->citations().count(c)) refs.insert(c);
    };
    for (const auto& s : samples)
        for (const auto& r : s.regimens)
            if (r.regimen) {
                for (const auto& c : r.regimen->citations) add(c);
                for (const StandardOfCare* soc : r.standard)
                    for (const auto& c : soc->citations) add(c);
            }
    if (growth_model)
        for (const auto& c : growth_model->citations) add(c);
    return {refs.begin(), refs.end()};
}

namespace {

double median(std::vector<double> values) {
    if (values.empty()) return kUnknownFraction;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

double median_depth(const ReportSample& s) {
    std::vector<double> depths;
    for (const auto& v : s.variants)
        if (v.variant.observation.depth > 0)
            depths.push_back(static_cast<double>(v.variant.observation.depth));
    for (const auto& h : s.hotspots)
        if (h.depth > 0) depths.push_back(static_cast<double>(h.depth));
    return median(std::move(depths));
}

// A source without depth (VCF) still owes the reader every hotspot and exon it was asked about,
// marked not_assessed, so that silence is never read as absence.
void add_unassessed(ReportSample& s, const SourceInfo& source) {
    if (source.format != InputFormat::kVcf && source.format != InputFormat::kBcf) return;
    std::vector<std::string> genes;
    for (const auto& t : source.targets)
        if (std::find(genes.begin(), genes.end(), t.gene) == genes.end()) genes.push_back(t.gene);
    if (s.hotspots.empty())
        for (const auto& h : builtin_hotspots()) {
            if (std::find(genes.begin(), genes.end(), h.gene) == genes.end()) continue;
            HotspotStatus st;
            st.sample = s.name;
            st.gene = h.gene;
            st.label = h.label;
            st.codon = h.codon;
            st.source = h.source;
            st.assessed = false;
            st.depth = -1;
            s.hotspots.push_back(std::move(st));
        }
    if (s.exons.empty())
        for (const auto& t : source.targets) {
            ExonCoverage e;
            e.sample = s.name;
            e.gene = t.gene;
            e.exon = t.exon;
            e.begin = t.begin;
            e.end = t.end;
            e.assessed = false;
            e.bases = t.end - t.begin;
            s.exons.push_back(std::move(e));
        }
}

// Samples of one input: the source's list first, then any other name seen in its rows.
std::vector<std::string> sample_names(const AnnotationResult& input) {
    std::vector<std::string> names = input.source.samples;
    auto add = [&names](const std::string& s) {
        if (std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);
    };
    for (const auto& v : input.variants) add(v.variant.observation.sample);
    for (const auto& h : input.hotspots) add(h.sample);
    return names;
}

const SampleTimepoint* find_timepoint(const ReportOptions& options,
                                      const std::string& input,
                                      const std::string& sample) {
    for (const auto& t : options.timepoints)
        if (t.input == input && t.sample == sample) return &t;
    return nullptr;
}

void add_projections(ReportSample& s,
                     const RegimenSet& regimens,
                     const ActivityPanel& panel,
                     const GrowthModel& model,
                     const ReportOptions& options) {
    std::vector<const Regimen*> chosen;
    if (!options.simulate_regimens.empty()) {
        for (const auto& id : options.simulate_regimens) chosen.push_back(regimens.find(id));
    } else {
        for (const auto& r : s.regimens) {
            if (static_cast<int>(chosen.size()) >= options.simulate_top) break;
            chosen.push_back(r.regimen);
        }
    }
    for (const Regimen* r : chosen)
        if (r) s.projections.push_back(simulate(s.clones, *r, panel, model, options.simulate_weeks));
}

Provenance report_provenance(const ReportModel& m, const ReportOptions& options) {
    const SourceInfo first = m.inputs.empty() ? SourceInfo{} : m.inputs.front();
    Provenance p = make_provenance(options.command_line, first, m.panel);
    // make_provenance describes one input; list the others right after it.
    auto it =
        std::find_if(p.items.begin(), p.items.end(), [](const auto& kv) { return kv.first == "input"; });
    std::size_t at =
        it == p.items.end() ? p.items.size() : static_cast<std::size_t>(it - p.items.begin()) + 1;
    for (std::size_t i = 1; i < m.inputs.size(); ++i) {
        const SourceInfo& s = m.inputs[i];
        const std::string text = s.path + " (" + to_string(s.format) +
                                 (s.caller.empty() ? "" : ", " + s.caller) + ", " + to_string(s.build) + ")";
        p.items.insert(p.items.begin() + static_cast<std::ptrdiff_t>(at++), {"input", text});
    }
    if (m.regimen_set) {
        p.add("regimens",
              m.regimen_set->name + " " + m.regimen_set->version + " (" + m.regimen_set->source + ")");
        std::string model = to_string(m.regimen_set->schedule_model);
        if (m.pk_model)
            model += " (" + m.pk_model->name + " " + m.pk_model->version + ", " + m.pk_model->source +
                     "; one-compartment first-order elimination; active while relative exposure >= " +
                     format_fraction(m.pk_model->threshold) + ")";
        else
            model += " (a drug acts exactly on the days it is given)";
        p.add("schedule_model", model);
    }
    if (m.simulated()) {
        p.add("growth_model", m.growth_model->name + " " + m.growth_model->version + " (" +
                                  m.growth_model->source + "), " + std::to_string(m.simulate_weeks) +
                                  " weeks");
        p.add("model_notice", kModelLabel);
    }
    return p;
}

}  // namespace

ReportModel build_report(const std::vector<AnnotationResult>& inputs,
                         const ActivityPanel& panel,
                         const RegimenSet& regimens,
                         const GrowthModel* growth_model,
                         const ReportOptions& options) {
    if (options.simulate_weeks >= 0 && !growth_model)
        throw std::invalid_argument("projections requested without a growth model");
    for (const auto& id : options.simulate_regimens)
        if (!regimens.find(id))
            throw std::invalid_argument("unknown regimen '" + id + "' for the projection (regimen set '" +
                                        regimens.name + "')");
    ReportModel m;
    m.title = options.title;
    m.panel = &panel;
    m.regimen_set = &regimens;
    m.simulate_weeks = options.simulate_weeks;
    if (options.simulate_weeks >= 0) m.growth_model = *growth_model;

    // Collect samples, then make names unique across inputs.
    struct Origin {
        std::size_t input;
        std::string sample;  // name inside the input
        int column;          // position within the input's samples
    };
    std::vector<Origin> origins;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        m.inputs.push_back(inputs[i].source);
        const auto names = sample_names(inputs[i]);
        const std::string& tumour = inputs[i].source.tumor_sample;
        const bool pair = options.tumour_only && names.size() >= 2 && !tumour.empty() &&
                          std::find(names.begin(), names.end(), tumour) != names.end();
        for (std::size_t k = 0; k < names.size(); ++k) {
            if (pair && names[k] != tumour) {
                m.skipped_samples.push_back(inputs[i].source.path + ": " + names[k] +
                                            " (not the ##tumor_sample of a tumour/normal pair)");
                continue;
            }
            ReportSample s;
            s.name = names[k];
            s.input = inputs[i].source.path;
            for (const auto& v : inputs[i].variants)
                if (v.variant.observation.sample == names[k]) s.variants.push_back(v);
            // Issue 19 bound (kitrx/limits.hpp), checked before build_clones: every variant can be
            // a clone, and the clone table, regimen evaluation and report.json grow with them.
            if (s.variants.size() > kMaxClonesPerSample)
                throw InputError(
                    {s.input, 0, 0, ""},
                    "sample '" + s.name + "' has " + std::to_string(s.variants.size()) +
                        " KIT/PDGFRA variants, more than the " + std::to_string(kMaxClonesPerSample) +
                        " clones kitrx models per sample",
                    "is this a ctDNA call set? filter it (e.g. --pass-only) or report fewer genes");
            for (const auto& h : inputs[i].hotspots)
                if (h.sample == names[k]) s.hotspots.push_back(h);
            for (const auto& e : inputs[i].exons)
                if (e.sample == names[k]) s.exons.push_back(e);
            add_unassessed(s, inputs[i].source);
            s.min_depth = options.clones.min_depth;
            if (auto it = inputs[i].source.records_in_unselected_genes.find("PDGFRA");
                it != inputs[i].source.records_in_unselected_genes.end())
                s.pdgfra_records_ignored = it->second;
            m.samples.push_back(std::move(s));
            origins.push_back({i, names[k], static_cast<int>(k)});
        }
    }
    std::map<std::string, int> uses;
    for (const auto& s : m.samples) ++uses[s.name];
    std::set<std::string> taken;
    for (auto& s : m.samples) {
        std::string name = s.name;
        if (uses[s.name] > 1) name = input_stem(s.input) + ":" + s.name;
        for (int k = 2; taken.count(name); ++k)
            name = input_stem(s.input) + ":" + s.name + "#" + std::to_string(k);
        taken.insert(name);
        if (name != s.name) {
            for (auto& v : s.variants) v.variant.observation.sample = name;
            for (auto& h : s.hotspots) h.sample = name;
            for (auto& e : s.exons) e.sample = name;
            s.name = name;
        }
    }

    // Patients and timepoints: the sheet, else columns of a multi-sample input.
    std::vector<int> order(m.samples.size(), 0);
    for (std::size_t j = 0; j < m.samples.size(); ++j) {
        const Origin& o = origins[j];
        const AnnotationResult& in = inputs[o.input];
        if (const SampleTimepoint* t = find_timepoint(options, in.source.path, o.sample)) {
            m.samples[j].patient = t->patient;
            m.samples[j].timepoint = t->timepoint;
            order[j] = t->order;
            m.samples[j].history.failed = t->prior;
        } else if (options.timepoints.empty() && options.columns_as_timepoints &&
                   in.source.samples.size() >= 2 && in.source.tumor_sample.empty() &&
                   std::find(in.source.samples.begin(), in.source.samples.end(), o.sample) !=
                       in.source.samples.end()) {
            m.samples[j].patient = input_stem(in.source.path);
            m.samples[j].timepoint = o.sample;
            order[j] = o.column;
        }
    }

    std::optional<RegimenSet> sensitivity_low, sensitivity_high;
    if (regimens.schedule_model == ScheduleModel::kPk && options.pk) {
        m.pk_model = *options.pk;
        for (const auto& r : regimens.regimens)
            if (!r.exposure.empty())
                m.exposures.push_back({&r, 1.0, exposure_curves(r, *options.pk, 2, 1.0)});
        sensitivity_low = regimens;
        sensitivity_high = regimens;
        apply_schedule_model(*sensitivity_low, ScheduleModel::kPk, options.pk, HalfLife::kLow);
        apply_schedule_model(*sensitivity_high, ScheduleModel::kPk, options.pk, HalfLife::kHigh);
    }
    for (auto& s : m.samples) {
        std::vector<SampleClones> built = build_clones(s.variants, s.hotspots, options.clones);
        auto it = std::find_if(built.begin(), built.end(),
                               [&](const SampleClones& c) { return c.sample == s.name; });
        if (it != built.end()) {
            s.clones = std::move(*it);
        } else {
            s.clones.sample = s.name;
        }
        apply_compound_rules(s.clones, panel);
        if (s.history.failed.empty()) s.history.failed = options.prior;
        for (auto& d : s.history.failed) {
            const Drug* drug = panel.drug(d);
            if (!drug)
                throw std::invalid_argument("prior treatment '" + d +
                                            "' is not a drug of the activity panel");
            d = drug->id;
        }
        // An ATP-pocket and an activation-loop mutation in one sample may be one allele: short reads
        // rarely phase exons 13/14 with 17/18, so say what cis would change (evidence file 10.7).
        {
            std::vector<std::string> pocket, loop;
            for (const Clone& c : s.clones.clones) {
                if (!c.detected() || c.role != VariantRole::kSecondary || c.variants.size() != 1) continue;
                const auto& v = c.variants.front();
                if (v.gene != "KIT") continue;
                if (v.exon == 13 || v.exon == 14) pocket.push_back(v.protein);
                if (v.exon == 17 || v.exon == 18) loop.push_back(v.protein);
            }
            if (!pocket.empty() && !loop.empty())
                s.notes.push_back("phase unknown: ATP-pocket (" + join(pocket, ", ") +
                                  ") and activation-loop (" + join(loop, ", ") +
                                  ") mutations are ranked as separate clones (in trans); if two are on one "
                                  "allele, ripretinib is resistant to that clone [M24] and other drugs are "
                                  "unknown: rerun with --cis-group " +
                                  pocket.front() + "," + loop.front() + " to see that case");
        }
        s.next_line = next_line(s.clones, regimens, s.history);
        s.regimens = evaluate_regimens(s.clones, regimens, panel, s.history);
        if (sensitivity_low && sensitivity_high) {
            // Does the ranking hold across the published half-life ranges?
            auto rank_in = [&](const RegimenSet& set) {
                std::map<std::string, int> ranks;
                for (const auto& r : evaluate_regimens(s.clones, set, panel, s.history))
                    ranks[r.regimen->id] = r.rank;
                return ranks;
            };
            const auto lo = rank_in(*sensitivity_low), hi = rank_in(*sensitivity_high);
            for (auto& r : s.regimens) {
                r.rank_half_life_low = lo.count(r.regimen->id) ? lo.at(r.regimen->id) : 0;
                r.rank_half_life_high = hi.count(r.regimen->id) ? hi.at(r.regimen->id) : 0;
            }
        }
        try {
            s.drug_sets = minimal_drug_sets(s.clones, panel);
        } catch (const std::invalid_argument& e) {
            s.drug_sets = DrugSetResult{};
            s.drug_sets.sample = s.name;
            s.notes.push_back(std::string("smallest drug sets not searched: ") + e.what());
        }
        if (m.simulated()) add_projections(s, regimens, panel, *m.growth_model, options);
        s.median_depth = median_depth(s);
    }

    // Trajectories for patients with at least two timepoints.
    std::map<std::string, std::set<std::string>> timepoints_of;
    for (const auto& s : m.samples)
        if (!s.patient.empty()) timepoints_of[s.patient].insert(s.timepoint);
    std::vector<TimepointSample> series;
    for (std::size_t j = 0; j < m.samples.size(); ++j) {
        const ReportSample& s = m.samples[j];
        if (s.patient.empty() || timepoints_of[s.patient].size() < 2) continue;
        series.push_back({s.patient, s.timepoint, order[j], &s.clones});
    }
    if (!series.empty()) m.trajectories = build_trajectories(series, options.trajectory);

    m.provenance = report_provenance(m, options);
    return m;
}

// ---------------------------------------------------------------------------------------------
// TSV writers

namespace {

std::string or_na(const std::string& s) {
    return s.empty() ? "NA" : s;
}

void write_header(std::ostream& out, const std::vector<std::string>& cols) {
    out << join(cols, "\t") << '\n';
}

}  // namespace

std::vector<std::string> clone_columns(const ActivityPanel& panel) {
    std::vector<std::string> cols{"sample",          "clone",      "role",        "variants", "vaf",
                                  "clone_fraction",  "ci_low",     "ci_high",     "status",   "alt_reads",
                                  "depth",           "vaf_ci_low", "vaf_ci_high", "lod_vaf",  "lod_fraction",
                                  "tumour_fraction", "flags"};
    for (const auto& d : panel.drugs()) cols.push_back("activity_" + d.id);
    // Added in issue 15 after the drug columns, so that readers by position keep working.
    for (const char* c : {"fraction_uncapped", "ratio_ci_low", "ratio_ci_high", "sample_warnings"})
        cols.emplace_back(c);
    // Issue 14: what backs each call (the heatmap's marks), after everything else.
    for (const char* c : {"call_grades", "call_marks"}) cols.emplace_back(c);
    return cols;
}

void write_clones_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    write_header(out, clone_columns(*model.panel));
    const std::size_t n_drugs = model.panel->drugs().size();
    for (const auto& s : model.samples) {
        for (const Clone& c : s.clones.clones) {
            out << s.name << '\t' << c.id << '\t' << to_string(c.role) << '\t' << or_na(c.variant_names())
                << '\t' << format_fraction(c.vaf) << '\t' << format_fraction(c.fraction) << '\t'
                << format_fraction(c.fraction_ci.low) << '\t' << format_fraction(c.fraction_ci.high) << '\t'
                << to_string(c.status) << '\t' << format_count(c.alt_reads) << '\t' << format_count(c.depth)
                << '\t' << format_fraction(c.vaf_ci.low) << '\t' << format_fraction(c.vaf_ci.high) << '\t'
                << format_fraction(c.lod_vaf) << '\t' << format_fraction(c.lod_fraction) << '\t'
                << format_fraction(s.clones.tumour_fraction) << '\t' << or_na(join(c.flags, ","));
            for (std::size_t d = 0; d < n_drugs; ++d)
                out << '\t' << to_string(report_detail::clone_call(c, d));
            out << '\t' << format_fraction(c.fraction_uncapped) << '\t' << format_fraction(c.ratio_ci.low)
                << '\t' << format_fraction(c.ratio_ci.high) << '\t' << or_na(join(s.clones.warnings(), ","));
            // drug:grade for every known call; drug:low_confidence / drug:disputed marks.
            std::vector<std::string> grades, marks;
            for (std::size_t d = 0; d < n_drugs; ++d) {
                const CloneCall call = clone_drug_call(c, d);
                const std::string& id = model.panel->drugs()[d].id;
                if (call.activity != Activity::kUnknown && call.grade != EvidenceGrade::kNone)
                    grades.push_back(id + ":" + to_string(call.grade));
                if (call.low_confidence) marks.push_back(id + ":low_confidence");
                if (call.conflicting) marks.push_back(id + ":disputed");
            }
            out << '\t' << or_na(join(grades, ";")) << '\t' << or_na(join(marks, ";"));
            out << '\n';
        }
    }
}

std::vector<std::string> coverage_columns() {
    return {"sample", "kind",      "gene",           "item",  "exon",    "status",
            "depth",  "min_depth", "bases_at_floor", "bases", "lod_vaf", "floor"};
}

void write_coverage_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    write_header(out, coverage_columns());
    for (const auto& s : model.samples) {
        for (const auto& h : s.hotspots) {
            const int c_pos = 3 * h.codon - 2;
            int exon_number = 0;
            for (const auto& e : GenomeModel::builtin(Build::kGRCh38).transcript(h.gene).exons)
                if (c_pos >= e.cds_start_c && c_pos <= e.cds_end_c) exon_number = e.number;
            HotspotStatus judged = h;
            judged.min_depth = s.min_depth;
            out << s.name << "\thotspot\t" << h.gene << '\t' << h.label << '\t'
                << (exon_number > 0 ? std::to_string(exon_number) : "NA") << '\t' << hotspot_state(judged)
                << '\t' << (h.assessed ? std::to_string(h.depth) : "NA") << "\tNA\tNA\tNA\t"
                << format_fraction(h.assessed ? h.lod_vaf : kUnknownFraction) << '\t' << s.min_depth << '\n';
        }
        for (const auto& e : s.exons) {
            out << s.name << "\texon\t" << e.gene << "\texon " << e.exon << '\t' << e.exon << '\t'
                << exon_state(e) << '\t' << format_fraction(e.median_depth) << '\t'
                << format_count(e.min_depth_observed) << '\t'
                << (e.assessed ? std::to_string(e.bases_at_floor) : "NA") << '\t' << e.bases << '\t'
                << format_fraction(e.lod_vaf) << '\t' << e.floor << '\n';
        }
    }
}

std::vector<std::string> regimen_columns() {
    return {"sample",
            "regimen",
            "drugs",
            "covered_clones",
            "partial_clones",
            "escaping_clones",
            "unknown_clones",
            "covered_burden",
            "rank",
            "partial_burden",
            "unknown_burden",
            "resistant_burden",
            "kind",
            "hypothetical",
            "approved",
            "name",
            "tier",
            "evidence_grade",
            "covered_burden_clinical",
            "low_confidence_clones",
            "conflicting_clones",
            "approved_for_sample",
            "standard_of_care",
            "prior",
            "burden_basis",
            "rank_half_life_low",
            "rank_half_life_high",
            "untreated_burden"};
}

std::string standard_label(const RegimenCoverage& r) {
    std::string out;
    for (const StandardOfCare* soc : r.standard) out += (out.empty() ? "" : "; ") + soc->label();
    return out;
}

void write_regimens_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    write_header(out, regimen_columns());
    for (const auto& s : model.samples) {
        for (const RegimenCoverage& r : s.regimens) {
            if (!r.regimen) continue;
            out << s.name << '\t' << r.regimen->id << '\t' << r.regimen->drugs_label() << '\t'
                << or_na(r.clone_list(s.clones, {CoverageStatus::kCovered})) << '\t'
                << or_na(r.clone_list(s.clones, {CoverageStatus::kPartial, CoverageStatus::kPartialTime}))
                << '\t' << or_na(r.clone_list(s.clones, {CoverageStatus::kEscapingResistant})) << '\t'
                << or_na(r.clone_list(s.clones, {CoverageStatus::kEscapingUnknown})) << '\t'
                << format_fraction(r.covered_burden) << '\t' << r.rank << '\t'
                << format_fraction(r.partial_burden) << '\t' << format_fraction(r.unknown_burden) << '\t'
                << format_fraction(r.resistant_burden) << '\t' << to_string(r.regimen->kind) << '\t'
                << (r.regimen->hypothetical ? "true" : "false") << '\t'
                << (r.regimen->approved ? "true" : "false") << '\t' << or_na(r.regimen->name) << '\t'
                << to_string(r.tier) << '\t' << to_string(r.grade) << '\t'
                << format_fraction(r.covered_burden_clinical) << '\t' << r.n_low_confidence << '\t'
                << r.n_conflicting << '\t' << (r.approved_for_sample ? "true" : "false") << '\t'
                << or_na(standard_label(r)) << '\t' << or_na(to_string(r.prior)) << '\t'
                << or_na(r.burden_basis) << '\t'
                << (r.rank_half_life_low > 0 ? std::to_string(r.rank_half_life_low) : "NA") << '\t'
                << (r.rank_half_life_high > 0 ? std::to_string(r.rank_half_life_high) : "NA") << '\t'
                << format_fraction(r.untreated_burden) << '\n';
        }
    }
}

void write_variants_tsv(std::ostream& out, const ReportModel& model, bool provenance) {
    if (provenance) write_provenance(out, model.provenance);
    write_variants_header(out, *model.panel);
    for (const auto& s : model.samples)
        for (const auto& v : s.variants) write_variant_row(out, v, *model.panel);
}

// ---------------------------------------------------------------------------------------------
// MultiQC custom content. Every "#" line together must be one YAML document (MultiQC rejects
// "##key=value" lines), so provenance goes into YAML keys here.

namespace {

// Single-quoted YAML scalar.
std::string yq(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "''";
        else if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else
            out += c;
    }
    return out + "'";
}

// MultiQC takes the first column as the sample name and strips nothing; tabs/newlines would
// break the row.
std::string tsv_cell(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

std::string percent(double fraction) {
    return std::isnan(fraction) ? "" : format_fraction(std::round(fraction * 10000.0) / 100.0);
}

void mqc_common(std::ostream& out, const ReportModel& m) {
    out << "# parent_id: 'kitrx'\n"
           "# parent_name: 'kitrx'\n"
           "# parent_description: "
        << yq(std::string("KIT/PDGFRA ctDNA clones and TKI regimen coverage. ") + kResearchUseNotice) << '\n'
        << "# kitrx_version: " << yq(KITRX_VERSION) << '\n';
    if (m.panel) out << "# kitrx_panel: " << yq(m.panel->name + " " + m.panel->version) << '\n';
    if (m.regimen_set) {
        out << "# kitrx_regimens: " << yq(m.regimen_set->name + " " + m.regimen_set->version) << '\n';
        out << "# kitrx_schedule_model: " << yq(to_string(m.regimen_set->schedule_model)) << '\n';
    }
    if (m.simulated())
        out << "# kitrx_model_notice: " << yq(std::string("projections: ") + kModelLabel) << '\n';
}

}  // namespace

void write_multiqc_general(std::ostream& out, const ReportModel& m) {
    out << "# id: 'kitrx_general'\n"
           "# section_name: 'kitrx'\n"
           "# description: "
        << yq(std::string("KIT variants, resistant clones and the best-ranked regimen per sample. ") +
              kResearchUseNotice)
        << "\n# plot_type: 'generalstats'\n";
    mqc_common(out, m);
    out << "# pconfig:\n"
           "#     - kit_variants:\n"
           "#         title: 'KIT variants'\n"
           "#         description: 'KIT/PDGFRA variant rows (variants.tsv)'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - secondary_clones:\n"
           "#         title: 'Resistant clones'\n"
           "#         description: 'Detected secondary (resistance) clones'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - tumour_fraction:\n"
           "#         title: 'Tumour fraction'\n"
           "#         description: 'ctDNA tumour fraction from the primary KIT variant (2 x VAF), percent'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     - best_regimen:\n"
           "#         title: 'Best-supported regimen'\n"
           "#         description: 'Rank 1 regimen of the evidence-graded ranking (research use only; not a "
           "treatment recommendation)'\n"
           "#     - best_covered_burden:\n"
           "#         title: 'Covered burden'\n"
           "#         description: 'Resistant-clone burden covered by the best regimen, percent'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     - median_depth:\n"
           "#         title: 'KIT depth'\n"
           "#         description: 'Median depth over KIT variant records and checked hotspots'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - best_tier:\n"
           "#         title: 'Tier'\n"
           "#         description: 'Tier of the best-supported regimen: clinical, investigational, "
           "hypothesis, "
           "no_known_activity'\n"
           "#     - best_evidence_grade:\n"
           "#         title: 'Evidence'\n"
           "#         description: 'Weakest evidence grade among the clones the best-supported regimen "
           "covers'\n"
           "#     - best_clinical_burden:\n"
           "#         title: 'Clinical cover'\n"
           "#         description: 'Burden covered by calls backed by clinical evidence, percent'\n"
           "#         suffix: '%'\n"
           "#         min: 0\n"
           "#         max: 100\n"
           "#     - hotspots_not_detected:\n"
           "#         title: 'Hotspots negative'\n"
           "#         description: 'Resistance hotspots covered (depth >= --min-depth) with no call'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n"
           "#     - hotspots_not_covered:\n"
           "#         title: 'Hotspots unseen'\n"
           "#         description: 'Resistance hotspots not covered or not assessed: absence NOT shown'\n"
           "#         format: '{:,.0f}'\n"
           "#         min: 0\n";
    out << "Sample\tkit_variants\tsecondary_clones\ttumour_fraction\tbest_regimen\tbest_covered_"
           "burden\tmedian_depth\tbest_tier\tbest_evidence_grade\tbest_clinical_burden\thotspots_not_"
           "detected\t"
           "hotspots_not_covered\n";
    for (const auto& s : m.samples) {
        const RegimenCoverage* best = report_detail::best_regimen(s);
        out << tsv_cell(s.name) << '\t' << s.variants.size() << '\t' << s.clones.detected_secondaries().size()
            << '\t' << percent(s.clones.tumour_fraction) << '\t'
            << (best && best->regimen ? tsv_cell(best->regimen->id) : "") << '\t'
            << (best ? percent(best->covered_burden) : "") << '\t'
            << (std::isnan(s.median_depth) ? "" : format_fraction(s.median_depth)) << '\t'
            << (best ? to_string(best->tier) : "") << '\t' << (best ? to_string(best->grade) : "") << '\t'
            << (best ? percent(best->covered_burden_clinical) : "");
        int negative = 0, unseen = 0;
        for (const Clone& c : s.clones.clones) {
            if (!c.has_flag(kFlagHotspot)) continue;
            if (c.status == CloneStatus::kNotDetected) ++negative;
            if (c.status == CloneStatus::kNotCovered || c.status == CloneStatus::kNotAssessed) ++unseen;
        }
        out << '\t' << negative << '\t' << unseen << '\n';
    }
}

void write_multiqc_regimens(std::ostream& out, const ReportModel& m) {
    out << "# id: 'kitrx_regimens'\n"
           "# section_name: 'kitrx regimen coverage'\n"
           "# description: "
        << yq(std::string("Percent of the detected resistant-clone burden covered (sensitive call) by each "
                          "regimen; blank when the sample has no detected secondary clone. ") +
              kResearchUseNotice)
        << "\n# plot_type: 'table'\n";
    mqc_common(out, m);
    out << "# pconfig:\n"
           "#     id: 'kitrx_regimens_table'\n"
           "#     title: 'kitrx: covered burden per regimen'\n"
           "#     min: 0\n"
           "#     max: 100\n"
           "#     suffix: '%'\n";
    std::vector<const Regimen*> columns;
    if (m.regimen_set)
        for (const auto& r : m.regimen_set->regimens) columns.push_back(&r);
    if (!columns.empty()) {
        out << "# headers:\n";
        for (const Regimen* r : columns)
            out << "#     " << yq(r->id) << ":\n#         title: " << yq(r->name.empty() ? r->id : r->name)
                << "\n#         description: "
                << yq(r->drugs_label() + (r->hypothetical ? " (hypothetical)" : ""))
                << "\n#         suffix: '%'\n#         min: 0\n#         max: 100\n";
    }
    out << "Sample";
    for (const Regimen* r : columns) out << '\t' << r->id;
    out << '\n';
    for (const auto& s : m.samples) {
        out << tsv_cell(s.name);
        for (const Regimen* r : columns) {
            auto it = std::find_if(s.regimens.begin(), s.regimens.end(),
                                   [&](const RegimenCoverage& c) { return c.regimen == r; });
            out << '\t' << (it == s.regimens.end() ? "" : percent(it->covered_burden));
        }
        out << '\n';
    }
}

}  // namespace kitrx
