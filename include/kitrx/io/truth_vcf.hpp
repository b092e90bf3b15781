// SPDX-License-Identifier: MIT
// truth_vcf (io): the records of a truth VCF read as plain text lines. A truth VCF is written by
// hand or by a spreadsheet export: it often has no #CHROM line and no ##INFO declarations, which
// htslib (and so VcfSource) rejects or warns about, and its errors must point at line and
// column. So it is read here line by line instead of through the observation sources.
#pragma once

#include <functional>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace kitrx {

struct TruthVcfRecord {
    int line = 0;                             // 1-based line in the file
    std::vector<std::string> fields;          // tab-separated fields (at least 8)
    std::vector<int> columns;                 // 1-based character column where each field starts
    std::map<std::string, std::string> info;  // INFO key -> value ("" for a flag; the last repeat wins)
};

// Calls `record` for each data line in file order ('#' and empty lines skipped, CR/LF removed) and
// returns the number of lines read. Throws InputError "name:line:1" for a line with fewer than 8
// fields; exceptions from `record` pass through (so problems are reported in line order).
int read_truth_vcf_records(std::istream& in,
                           const std::string& name,
                           const std::function<void(const TruthVcfRecord&)>& record);

}  // namespace kitrx
