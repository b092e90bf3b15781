// SPDX-License-Identifier: MIT
// validation match: observed calls against the truth, run by run, into TP/FN/FP rows. What
// counts as a call (evidence, FILTER, --min-observed-vaf) is decided here and nowhere else.
#include <algorithm>
#include <map>
#include <set>

#include "kitrx/common/stats.hpp"
#include "kitrx/validation/validation.hpp"
#include "validation/validation_util.hpp"

namespace kitrx {

using namespace validation_detail;

std::string to_string(CallStatus s) {
    switch (s) {
        case CallStatus::kTruePositive:
            return "TP";
        case CallStatus::kFalseNegative:
            return "FN";
        case CallStatus::kFalsePositive:
            return "FP";
    }
    return "?";
}

namespace {

double effective_vaf(const ObservedVariant& v) {
    if (v.alt_reads >= 0 && v.depth > 0) return read_fraction(v.alt_reads, v.depth);
    return v.vaf;
}

// Why a record does not count as a call ("" when it does).
std::string not_a_call_reason(const ObservedVariant& v, const ValidationOptions& options) {
    if (!v.has_evidence()) return "no supporting read";
    if (options.pass_only && !(v.filter == "PASS" || v.filter == "." || v.filter.empty()))
        return "FILTER " + v.filter;
    const double vaf = effective_vaf(v);
    if (options.min_vaf > 0 && !(vaf >= options.min_vaf)) return "VAF " + short_number(vaf) + " < --min-vaf";
    return "";
}

std::string display_name(const ObservedVariant& v) {
    if (!v.protein.empty()) return v.protein;
    if (!v.hgvs_c.empty()) return v.hgvs_c;
    return v.chrom + ":" + std::to_string(v.pos1) + ":" + v.ref + ":" + v.alt;
}

}  // namespace

ValidationResult validate(const TruthSet& truth,
                          const ObservedSet& observed,
                          const ValidationOptions& options,
                          Diagnostics& diag) {
    ValidationResult result;
    result.detection_rate = options.detection_rate;
    // Runs to score: explicit truth samples (truth order), then every observed sample when the
    // truth has rows for "*".
    bool any_star = false;
    for (const auto& e : truth.entries) {
        if (e.sample == "*") {
            any_star = true;
        } else if (std::find(result.samples.begin(), result.samples.end(), e.sample) ==
                   result.samples.end()) {
            result.samples.push_back(e.sample);
        }
    }
    auto observed_has = [&](const std::string& s) {
        return std::find(observed.samples.begin(), observed.samples.end(), s) != observed.samples.end();
    };
    bool any_found = false;
    for (const auto& s : result.samples) any_found = any_found || observed_has(s);
    if (!any_star && !any_found) {
        const int line = truth.entries.empty() ? 0 : truth.entries.front().line;
        throw InputError(at(truth.path, line),
                         "no truth sample is in OBSERVED (truth: " + join_names(result.samples, ", ") +
                             "; observed: " +
                             (observed.samples.empty() ? "none" : join_names(observed.samples, ", ")) + ")",
                         "sample names must equal the VCF sample column, the BAM read-group SM or the sample "
                         "column of the kitrx table; '*' matches every sample");
    }
    for (const auto& s : result.samples)
        if (!observed_has(s))
            diag.warn("truth_sample_missing",
                      truth.path + ": truth sample '" + s +
                          "' is not in OBSERVED; its variants count as false negatives");
    if (any_star)
        for (const auto& s : observed.samples)
            if (std::find(result.samples.begin(), result.samples.end(), s) == result.samples.end())
                result.samples.push_back(s);
    for (const auto& s : observed.samples)
        if (std::find(result.samples.begin(), result.samples.end(), s) == result.samples.end())
            diag.warn("unscored_sample", "observed sample '" + s + "' is not in the truth table; not scored");

    std::map<std::string, std::vector<const ObservedVariant*>> by_sample;
    for (const auto& v : observed.variants) by_sample[v.sample].push_back(&v);
    for (const auto& v : observed.variants)
        if (std::find(result.samples.begin(), result.samples.end(), v.sample) == result.samples.end())
            ++result.ignored_calls;

    std::vector<CallRow> fps;
    for (const auto& sample : result.samples) {
        // The run's level/replicate and its truth rows (explicit rows beat "*" rows of the same key).
        double level = kNaN;
        std::string replicate;
        bool have_run_info = false;
        std::vector<const TruthEntry*> rows;
        std::set<std::string> explicit_keys;
        for (const auto& e : truth.entries)
            if (e.sample == sample) {
                if (!have_run_info) level = e.level, replicate = e.replicate, have_run_info = true;
                if (e.key) {
                    rows.push_back(&e);
                    explicit_keys.insert(e.key->str());
                }
            }
        for (const auto& e : truth.entries)
            if (e.sample == "*") {
                if (!have_run_info && !std::isnan(e.level)) level = e.level, have_run_info = true;
                if (e.key && !explicit_keys.count(e.key->str())) rows.push_back(&e);
            }
        std::sort(rows.begin(), rows.end(),
                  [](const TruthEntry* a, const TruthEntry* b) { return a->line < b->line; });

        const auto& calls = by_sample[sample];
        std::vector<std::vector<VariantKey>> call_keys;
        for (const auto* c : calls) call_keys.push_back(c->keys());
        std::vector<bool> used(calls.size(), false);
        for (const TruthEntry* e : rows) {
            CallRow row;
            row.sample = sample;
            row.level = level;
            row.replicate = replicate;
            row.gene = e->gene;
            row.variant = e->variant;
            row.key = e->key->str();
            row.expected_vaf = e->expected_vaf;
            row.truth_line = e->line;
            const ObservedVariant* best = nullptr;
            const ObservedVariant* rejected = nullptr;
            for (std::size_t i = 0; i < calls.size(); ++i) {
                if (std::find(call_keys[i].begin(), call_keys[i].end(), *e->key) == call_keys[i].end())
                    continue;
                used[i] = true;
                if (!not_a_call_reason(*calls[i], options).empty()) {
                    if (!rejected) rejected = calls[i];
                    continue;
                }
                if (!best || effective_vaf(*calls[i]) > effective_vaf(*best)) best = calls[i];
            }
            if (best) {
                row.status = CallStatus::kTruePositive;
                row.observed_vaf = effective_vaf(*best);
                row.alt_reads = best->alt_reads;
                row.depth = best->depth;
                row.observed_name = display_name(*best);
                row.hgvs_c = best->hgvs_c;
                row.filter = best->filter;
                row.source = best->source;
                if (row.gene.empty()) row.gene = best->gene;
            } else {
                row.status = CallStatus::kFalseNegative;
                if (rejected) {
                    row.note = not_a_call_reason(*rejected, options);
                    row.depth = rejected->depth;
                    row.alt_reads = rejected->alt_reads;
                    row.filter = rejected->filter;
                    row.source = rejected->source;
                    row.observed_name = display_name(*rejected);
                }
            }
            result.calls.push_back(std::move(row));
        }
        for (std::size_t i = 0; i < calls.size(); ++i) {
            const ObservedVariant& c = *calls[i];
            const bool scored_gene =
                options.genes.empty() ||
                std::find(options.genes.begin(), options.genes.end(), upper(c.gene)) != options.genes.end();
            if (used[i] || !scored_gene || !not_a_call_reason(c, options).empty()) {
                if (!used[i]) ++result.ignored_calls;
                continue;
            }
            CallRow row;
            row.sample = sample;
            row.level = level;
            row.replicate = replicate;
            row.gene = c.gene;
            row.variant = display_name(c);
            const auto keys = call_keys[i];
            row.key = keys.empty() ? row.variant : keys.front().str();
            row.status = CallStatus::kFalsePositive;
            row.observed_vaf = effective_vaf(c);
            row.alt_reads = c.alt_reads;
            row.depth = c.depth;
            row.observed_name = display_name(c);
            row.hgvs_c = c.hgvs_c;
            row.filter = c.filter;
            row.source = c.source;
            fps.push_back(std::move(row));
        }
    }
    for (auto& r : fps) result.calls.push_back(std::move(r));

    summarise_result(result, truth, options);
    return result;
}

}  // namespace kitrx
