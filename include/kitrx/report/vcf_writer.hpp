// SPDX-License-Identifier: MIT
// report (VCF): the input VCF/BCF passed through (by io/vcf_passthrough.hpp) with kitrx annotations added as
// INFO fields, one value per ALT allele (Number=A, '.' for alleles outside the targets), so kitrx can sit in
// a VCF pipeline as bcftools csq does. Records without a KIT/PDGFRA allele pass through unchanged.
//   KITRX_GENE, KITRX_EXON, KITRX_HGVSC, KITRX_HGVSP, KITRX_PROTEIN, KITRX_CSQ, KITRX_ROLE,
//   KITRX_RULE, KITRX_ACTIVITY ("drug:call|drug:call", panel drug order).
// Naming is per allele; role and activity are those of the first sample carrying the allele.
#pragma once

#include <string>
#include <vector>

#include "kitrx/panel/annotate.hpp"
#include "kitrx/report/tables.hpp"

namespace kitrx {

// mode: 'v' plain VCF, 'z' bgzip VCF, 'b' BCF. Throws IoError / InputError naming the file.
void write_annotated_vcf(const std::string& input_path,
                         const std::vector<AnnotatedVariant>& variants,
                         const ActivityPanel& panel,
                         const std::string& output_path,
                         char mode,
                         const Provenance& provenance,
                         int threads);

}  // namespace kitrx
