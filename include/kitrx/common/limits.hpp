// SPDX-License-Identifier: MIT
// limits: documented bounds on single inputs, so that one absurd record, read or file is rejected
// with a clear message instead of exhausting memory or time (issue 10). Every bound is far above
// what real data reaches; docs/hardening.md lists them with the behaviour at the bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace kitrx {

// Longest REF or ALT allele (bases) that is named. Longer VCF alleles are skipped with a warning
// ("allele_too_long", --strict: an error): an exon-level deletion is < 1 kb, while naming a
// multi-kilobase change on the transcript costs time and memory for no usable protein name.
inline constexpr std::size_t kMaxAlleleLength = 10000;

// Most ALT alleles of one VCF record that are split and named. A record with more is skipped with
// a warning ("too_many_alleles", --strict: an error): callers emit a handful per site (GATK at most
// 6 by default), while one fuzzed 30,000-allele record at KIT made `report` use 2.7 GB.
inline constexpr int kMaxAltAlleles = 256;

// Most KIT/PDGFRA variants (each a potential clone) of one sample that `report` models. More is an
// error naming the sample: a ctDNA sample carries a few to a few tens of KIT/PDGFRA mutations, and
// the clone table, the regimen evaluation and report.json grow with every one of them.
inline constexpr std::size_t kMaxClonesPerSample = 500;

// Most rules of one activity panel (the shipped one has 36). More is an error: the rule-pair checks
// and the matching of every variant scale with it.
inline constexpr std::size_t kMaxPanelRules = 20000;

// Longest VCF text line (one record) read: longer is an error naming the record. Even a VCF with a
// million sample columns has lines of a few tens of MB; without a bound, a corrupt file without
// newlines would be buffered whole.
inline constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;  // 64 MiB

// Longest read (query bases) and longest reference span of one alignment that is counted. Longer
// records are skipped with a warning ("read_too_long", --strict: an error): short-read ctDNA
// reads are < 1 kb; the span bound keeps a corrupt CIGAR (a 100 Mb deletion) from costing time.
inline constexpr std::int32_t kMaxReadLength = 100000;
inline constexpr std::int64_t kMaxReadSpan = 1000000;

// Largest YAML file (activity panel, regimens, growth model) and sample sheet read. yaml-cpp keeps
// the whole document as a node tree (tens of bytes per input byte); the shipped panel is 60 kB.
inline constexpr std::uintmax_t kMaxYamlBytes = 16u << 20;  // 16 MiB

// Throws InputError naming `path` when the file is larger than `max_bytes` (`what` says which kind
// of file, e.g. "panel"). Only regular files are checked (a FIFO has no size up front); nothing
// happens when the size cannot be taken (opening the file reports that).
void check_file_size(const std::string& path, std::uintmax_t max_bytes, const std::string& what);

}  // namespace kitrx
