// SPDX-License-Identifier: MIT
// libFuzzer harness: VCF bytes (first byte: options, as fuzz_vcf) -> annotate_input -> build_report
// (clones, regimens, drug sets, trajectories of a multi-sample file) -> every report writer. One
// 30,000-allele record used to make `report` take 2.7 GB here (issue 19): the bounds of
// kitrx/limits.hpp must hold memory and time for any input; libFuzzer's -rss_limit_mb and
// -timeout catch a regression. Contract: report files, or InputError / IoError / UsageError.
#include <sstream>

#include "fuzz_input.hpp"
#include "kitrx/regimens/regimens.hpp"
#include "kitrx/report/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using namespace kitrx;
    const std::uint8_t flags = data[0];
    SourceOptions source;
    source.path = fuzz::as_file(data + 1, size - 1);
    if (flags & 1) source.build = (flags & 2) ? Build::kGRCh37 : Build::kGRCh38;
    source.strict = (flags & 4) != 0;
    if (flags & 8) source.genes = {"KIT", "PDGFRA"};
    AnnotateOptions annotate;
    annotate.merge_cis = (flags & 16) != 0;
    ReportOptions options;
    options.columns_as_timepoints = (flags & 32) == 0;
    options.tumour_only = (flags & 64) == 0;
    options.command_line = "kitrx report fuzz";
    static const RegimenSet regimens = default_regimens(default_panel());
    Diagnostics diag(nullptr);
    try {
        std::vector<AnnotationResult> results;
        results.push_back(annotate_input(source, annotate, default_panel(), diag));
        const ReportModel model = build_report(results, default_panel(), regimens, nullptr, options);
        std::ostringstream out;
        write_variants_tsv(out, model);
        write_clones_tsv(out, model);
        write_regimens_tsv(out, model);
        write_report_json(out, model);
        write_report_html(out, model);
        write_multiqc_general(out, model);
        write_multiqc_regimens(out, model);
    } catch (const InputError&) {
    } catch (const IoError&) {
    } catch (const UsageError&) {
    }
    return 0;
}
