// SPDX-License-Identifier: MIT
// report: model assembly, the clones/regimens/variants TSVs and the MultiQC custom-content files.
#include "kitrx/report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "kitrx/limits.hpp"
#include "kitrx/version.hpp"
#include "report_util.hpp"

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
    for (const auto& s : samples) {
        for (const auto& v : s.variants)
            for (const auto& call : v.match.calls)
                for (const auto& e : call.evidence)
                    if (panel->citations().count(e.citation)) keys.insert(e.citation);
        for (const auto& r : s.regimens)
            if (r.regimen)
                for (const auto& c : r.regimen->citations)
                    if (panel->citations().count(c)) keys.insert(c);
    }
    if (growth_model)
        for (const auto& c : growth_model->citations)
            if (panel->citations().count(c)) keys.insert(c);
    return {keys.begin(), keys.end()};
}

std::vector<std::string> ReportModel::free_references() const {
    std::set<std::string> refs;
    auto add = [&](const std::string& c) {
        if (!panel || !panel->citations().count(c)) refs.insert(c);
    };
    for (const auto& s : samples)
        for (const auto& r : s.regimens)
            if (r.regimen)
                for (const auto& c : r.regimen->citations) add(c);
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
    if (m.regimen_set)
        p.add("regimens",
              m.regimen_set->name + " " + m.regimen_set->version + " (" + m.regimen_set->source + ")");
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
        } else if (options.timepoints.empty() && options.columns_as_timepoints &&
                   in.source.samples.size() >= 2 && in.source.tumor_sample.empty() &&
                   std::find(in.source.samples.begin(), in.source.samples.end(), o.sample) !=
                       in.source.samples.end()) {
            m.samples[j].patient = input_stem(in.source.path);
            m.samples[j].timepoint = o.sample;
            order[j] = o.column;
        }
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
        s.regimens = evaluate_regimens(s.clones, regimens, panel);
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
            out << '\n';
        }
    }
}

std::vector<std::string> regimen_columns() {
    return {"sample",         "regimen",         "drugs",          "covered_clones",
            "partial_clones", "escaping_clones", "unknown_clones", "covered_burden",
            "rank",           "partial_burden",  "unknown_burden", "resistant_burden",
            "kind",           "hypothetical",    "approved",       "name"};
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
                << (r.regimen->approved ? "true" : "false") << '\t' << or_na(r.regimen->name) << '\n';
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
    if (m.regimen_set)
        out << "# kitrx_regimens: " << yq(m.regimen_set->name + " " + m.regimen_set->version) << '\n';
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
           "#         title: 'Best regimen'\n"
           "#         description: 'Rank 1 regimen (research use only; not a treatment recommendation)'\n"
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
           "#         min: 0\n";
    out << "Sample\tkit_variants\tsecondary_clones\ttumour_fraction\tbest_regimen\tbest_covered_"
           "burden\tmedian_depth\n";
    for (const auto& s : m.samples) {
        const RegimenCoverage* best = report_detail::best_regimen(s);
        out << tsv_cell(s.name) << '\t' << s.variants.size() << '\t' << s.clones.detected_secondaries().size()
            << '\t' << percent(s.clones.tumour_fraction) << '\t'
            << (best && best->regimen ? tsv_cell(best->regimen->id) : "") << '\t'
            << (best ? percent(best->covered_burden) : "") << '\t'
            << (std::isnan(s.median_depth) ? "" : format_fraction(s.median_depth)) << '\n';
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
