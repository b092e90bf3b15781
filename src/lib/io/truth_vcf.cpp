// SPDX-License-Identifier: MIT
// Truth VCF records as text lines (see truth_vcf.hpp for why not htslib).
#include "kitrx/io/truth_vcf.hpp"

#include "kitrx/common/errors.hpp"
#include "kitrx/common/text.hpp"

namespace kitrx {

int read_truth_vcf_records(std::istream& in,
                           const std::string& name,
                           const std::function<void(const TruthVcfRecord&)>& record) {
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        TruthVcfRecord r;
        r.line = line_no;
        r.fields = split_tabs(line);
        r.columns = tab_columns(line);
        if (r.fields.size() < 8) {
            SourceLocation loc;
            loc.file = name;
            loc.line = line_no;
            loc.column = 1;
            throw InputError(loc, "VCF record with " + std::to_string(r.fields.size()) + " fields",
                             "expected at least 8 tab-separated fields");
        }
        for (const auto& item : split(r.fields[7], ';')) {
            const std::size_t eq = item.find('=');
            r.info[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
        }
        record(r);
    }
    return line_no;
}

}  // namespace kitrx
