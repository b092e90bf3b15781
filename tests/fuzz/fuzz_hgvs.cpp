// SPDX-License-Identifier: MIT
// libFuzzer harness: fuzzed position, REF and ALT inside the shipped KIT/PDGFRA windows ->
// VariantNamer::name, check_ref, gene_at and merge_alleles.
// Contract under test: naming either succeeds or throws std::invalid_argument (callers turn it
// into an InputError with file and record); nothing else may escape, crash or trip the sanitizers.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "kitrx/genome/genome.hpp"
#include "kitrx/genome/hgvs.hpp"

namespace {

std::string fuzzed_allele(FuzzedDataProvider& fdp,
                          const kitrx::ReferenceSequence& reference,
                          std::int64_t pos0,
                          std::size_t max_length) {
    const std::size_t length = fdp.ConsumeIntegralInRange<std::size_t>(0, max_length);
    switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
        case 0:  // the reference bases (a real REF, or an ALT that duplicates / shifts them)
            if (reference.covers(pos0, pos0 + static_cast<std::int64_t>(length)))
                return std::string(reference.fetch(pos0, pos0 + static_cast<std::int64_t>(length)));
            [[fallthrough]];
        case 1: {  // random ACGT
            std::string s;
            for (std::size_t i = 0; i < length; ++i) s += "ACGT"[fdp.ConsumeIntegralInRange<int>(0, 3)];
            return s;
        }
        default:  // arbitrary bytes (lower case, N, '*', '<DEL>', garbage)
            return fdp.ConsumeRandomLengthString(max_length);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider fdp(data, size);
    const auto build = fdp.ConsumeBool() ? kitrx::Build::kGRCh38 : kitrx::Build::kGRCh37;
    const auto& model = kitrx::GenomeModel::builtin(build);
    const kitrx::VariantNamer namer(model);
    const auto& segments = model.reference().segments();
    if (segments.empty()) return 0;
    const auto& segment = segments[fdp.ConsumeIntegralInRange<std::size_t>(0, segments.size() - 1)];
    const auto span = static_cast<std::int64_t>(segment.bases.size());
    // Mostly inside the window; sometimes just outside its edges.
    const std::int64_t pos0 = segment.begin + fdp.ConsumeIntegralInRange<std::int64_t>(-20, span + 20);
    const std::string gene = fdp.ConsumeBool() ? "KIT" : "PDGFRA";
    const std::string ref = fuzzed_allele(fdp, model.reference(), pos0, 64);
    const std::string alt = fuzzed_allele(fdp, model.reference(), pos0, 64);

    bool ref_matches = false;  // callers reject a REF that differs from the reference first
    try {
        ref_matches = namer.check_ref(pos0, ref).empty();
    } catch (const std::invalid_argument&) {
    }
    (void)namer.gene_at(pos0, ref.size());
    try {
        const kitrx::VariantName name = namer.name(gene, pos0, ref, alt);
        // A name is computed from its normalised allele, so naming that allele again must give
        // the same name (a left/right-shift or trimming bug shows up as a difference).
        if (ref_matches) {
            const kitrx::VariantName again = namer.name(gene, name.norm_pos0, name.norm_ref, name.norm_alt);
            if (again.hgvs_c != name.hgvs_c || again.hgvs_p != name.hgvs_p) {
                std::fprintf(stderr, "name not stable: %s:%lld %s>%s\n", gene.c_str(),
                             static_cast<long long>(pos0), ref.c_str(), alt.c_str());
                std::fprintf(stderr, "  %s %s -> %s:%lld %s>%s -> %s %s\n", name.hgvs_c.c_str(),
                             name.hgvs_p.c_str(), gene.c_str(), static_cast<long long>(name.norm_pos0),
                             name.norm_ref.c_str(), name.norm_alt.c_str(), again.hgvs_c.c_str(),
                             again.hgvs_p.c_str());
                std::abort();
            }
        }
    } catch (const std::invalid_argument&) {
    }
    const std::int64_t pos0_b = pos0 + fdp.ConsumeIntegralInRange<std::int64_t>(-40, 40);
    const std::string ref_b = fuzzed_allele(fdp, model.reference(), pos0_b, 16);
    const std::string alt_b = fuzzed_allele(fdp, model.reference(), pos0_b, 16);
    kitrx::MergedAllele merged;
    if (kitrx::merge_alleles(model.reference(), pos0, ref, alt, pos0_b, ref_b, alt_b, merged)) {
        try {
            (void)namer.name(gene, merged.pos0, merged.ref, merged.alt);
        } catch (const std::invalid_argument&) {
        }
    }
    return 0;
}
