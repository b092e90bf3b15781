// SPDX-License-Identifier: MIT
// libFuzzer harness: panel YAML bytes -> load_panel(istream) -> rule labels and matching.
// Contract under test: any input either loads or throws PanelError (an InputError listing the
// problems with file:line:col); nothing else may escape, crash or trip the sanitizers.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "kitrx/genome/genome.hpp"
#include "kitrx/genome/hgvs.hpp"
#include "kitrx/panel/panel.hpp"

namespace {

const std::vector<kitrx::VariantName>& probe_names() {
    static const std::vector<kitrx::VariantName> names = [] {
        const auto& model = kitrx::GenomeModel::builtin(kitrx::Build::kGRCh38);
        const kitrx::VariantNamer namer(model);
        std::vector<kitrx::VariantName> out;
        // A few changes of different classes in the hotspot exons of both genes.
        for (const auto& t : model.transcripts()) {
            for (const auto& e : t.exons) {
                const std::int64_t p = e.cds_begin + (e.cds_end - e.cds_begin) / 2;
                const std::string ref(model.reference().fetch(p, p + 3));
                const std::string snv = ref.substr(0, 1) == "A" ? "C" : "A";
                try {
                    out.push_back(namer.name(t.gene, p, ref.substr(0, 1), snv));
                    out.push_back(namer.name(t.gene, p, ref, ref.substr(0, 1)));
                } catch (const std::invalid_argument&) {
                }
            }
        }
        return out;
    }();
    return names;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto& names = probe_names();
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        const kitrx::ActivityPanel panel = kitrx::load_panel(in, "fuzz.yaml");
        for (const auto& rule : panel.rules()) (void)kitrx::rule_label(rule);
        for (const auto& name : names)
            for (auto role : {kitrx::VariantRole::kUnknown, kitrx::VariantRole::kPrimary,
                              kitrx::VariantRole::kSecondary}) {
                const kitrx::PanelMatch m = panel.match(name, role);
                for (const auto& call : m.calls) (void)kitrx::evidence_keys(call);
            }
    } catch (const kitrx::PanelError&) {
        // Expected for malformed panels.
    }
    return 0;
}
