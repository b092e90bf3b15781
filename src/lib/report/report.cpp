// SPDX-License-Identifier: MIT
// report: model assembly. build_report() wires clones, regimens and timepoints together per
// sample; the writers (report_tsv, report_json, report_html, multiqc) only format the result.
#include "kitrx/report/report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "kitrx/common/limits.hpp"
#include "kitrx/io/allele_calling.hpp"
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

namespace {

// Every citation string of the evaluated regimens, their matching standards of care and the
// growth model: panel keys and free-text references alike.
template <class Add>
void each_regimen_reference(const ReportModel& m, Add&& add) {
    for (const auto& s : m.samples)
        for (const auto& r : s.regimens) {
            if (!r.regimen) continue;
            for (const auto& c : r.regimen->citations) add(c);
            for (const StandardOfCare* soc : r.standard)
                for (const auto& c : soc->citations) add(c);
        }
    if (m.growth_model)
        for (const auto& c : m.growth_model->citations) add(c);
}

}  // namespace

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
    }
    each_regimen_reference(*this, add);
    return {keys.begin(), keys.end()};
}

std::vector<std::string> ReportModel::free_references() const {
    std::set<std::string> refs;
    each_regimen_reference(*this, [&](const std::string& c) {
        if (!panel || !panel->citations().count(c)) refs.insert(c);
    });
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

    if (regimens.schedule_model == ScheduleModel::kPk && options.pk) {
        m.pk_model = *options.pk;
        for (const auto& r : regimens.regimens)
            if (!r.exposure.empty())
                m.exposures.push_back({&r, 1.0, exposure_curves(r, *options.pk, 2, 1.0)});
    }
    const std::optional<HalfLifeSensitivity> half_lives = half_life_sensitivity(regimens, options.pk);
    AssessmentOptions assessment{half_lives ? &*half_lives : nullptr,
                                 m.simulated() ? &*m.growth_model : nullptr, options.simulate_weeks,
                                 options.simulate_regimens, options.simulate_top};
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
        if (std::string note = phase_unknown_note(s.clones); !note.empty())
            s.notes.push_back(std::move(note));
        RegimenAssessment assessed = assess_regimens(s.clones, regimens, panel, s.history, assessment);
        s.next_line = assessed.next_line;
        s.regimens = std::move(assessed.regimens);
        s.drug_sets = std::move(assessed.drug_sets);
        if (!assessed.drug_sets_skipped.empty())
            s.notes.push_back("smallest drug sets not searched: " + assessed.drug_sets_skipped);
        s.projections = std::move(assessed.projections);
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

}  // namespace kitrx
