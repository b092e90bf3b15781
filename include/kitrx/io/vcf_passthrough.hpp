// SPDX-License-Identifier: MIT
// vcf_passthrough (io): copies a VCF/BCF record by record, adding String INFO fields with one
// value per ALT allele (Number=A, '.' for alleles without values) and extra header lines. It
// knows nothing of what the values mean: report/vcf_writer.hpp fills them with kitrx's names
// and drug calls, so htslib stays in io and drugs stay out of it.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace kitrx {

struct VcfInfoField {
    std::string id;
    std::string description;
};

struct VcfAnnotation {
    std::vector<VcfInfoField> fields;
    // vcf_allele_key(...) -> one value per field; alleles absent here get '.'.
    std::unordered_map<std::string, std::vector<std::string>> by_allele;
    std::vector<std::string> header_lines;  // whole "##key=value" lines, appended after the fields
};

// The key of an allele: contig as in the file, 0-based position, REF and ALT upper-cased.
[[nodiscard]] std::string vcf_allele_key(const std::string& chrom,
                                         std::int64_t pos0,
                                         const std::string& ref,
                                         const std::string& alt);

// mode: 'v' plain VCF, 'z' bgzip VCF, 'b' BCF; "-" writes stdout. Records without any annotated
// allele pass through unchanged. Throws IoError / InputError naming the file; BrokenPipe when a
// closed stdout ends the run.
void write_vcf_with_info(const std::string& input_path,
                         const VcfAnnotation& annotation,
                         const std::string& output_path,
                         char mode,
                         int threads);

}  // namespace kitrx
