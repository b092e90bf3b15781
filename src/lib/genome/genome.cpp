// SPDX-License-Identifier: MIT
#include "kitrx/genome/genome.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "kitrx/common/resources.hpp"
#include "kitrx/common/text.hpp"

namespace kitrx {

std::string to_string(Build build) {
    return build == Build::kGRCh37 ? "GRCh37" : "GRCh38";
}

std::optional<Build> parse_build(std::string_view text) {
    std::string t(text);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "grch37" || t == "hg19" || t == "b37" || t == "37" || t == "hs37d5") return Build::kGRCh37;
    if (t == "grch38" || t == "hg38" || t == "38" || t == "b38") return Build::kGRCh38;
    return std::nullopt;
}

bool is_chr4_name(std::string_view contig) {
    std::string c(contig);
    std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return c == "chr4" || c == "4" || c == "nc_000004.11" || c == "nc_000004.12";
}

const Exon* Transcript::exon(int number) const {
    for (const auto& e : exons)
        if (e.number == number) return &e;
    return nullptr;
}

const Exon* Transcript::exon_at(std::int64_t pos0) const {
    for (const auto& e : exons)
        if (pos0 >= e.cds_begin && pos0 < e.cds_end) return &e;
    return nullptr;
}

std::string domain_of(std::string_view gene, int exon) {
    if (gene == "KIT") {
        if (exon >= 1 && exon <= 9) return exon == 9 ? "extracellular (Ig-like D5)" : "extracellular";
        if (exon == 10) return "transmembrane";
        if (exon == 11) return "juxtamembrane";
        if (exon == 13 || exon == 14) return "ATP-binding pocket";
        if (exon == 17 || exon == 18) return "activation loop";
        if (exon == 12 || exon == 15 || exon == 16) return "kinase domain";
        return "";
    }
    if (gene == "PDGFRA") {
        if (exon == 12) return "juxtamembrane";
        if (exon == 14) return "ATP-binding pocket";
        if (exon == 18) return "activation loop";
        return "";
    }
    return "";
}

std::vector<int> default_exons(std::string_view gene) {
    if (gene == "KIT") return {9, 11, 13, 14, 17, 18};
    if (gene == "PDGFRA") return {12, 14, 18};
    return {};
}

ReferenceSequence::ReferenceSequence(std::vector<Segment> segments) : segments_(std::move(segments)) {
    std::sort(segments_.begin(), segments_.end(),
              [](const Segment& a, const Segment& b) { return a.begin < b.begin; });
}

bool ReferenceSequence::covers(std::int64_t begin, std::int64_t end) const {
    for (const auto& s : segments_) {
        const auto s_end = s.begin + static_cast<std::int64_t>(s.bases.size());
        if (begin >= s.begin && end <= s_end) return true;
    }
    return false;
}

std::string_view ReferenceSequence::fetch(std::int64_t begin, std::int64_t end) const {
    for (const auto& s : segments_) {
        const auto s_end = s.begin + static_cast<std::int64_t>(s.bases.size());
        if (begin >= s.begin && end <= s_end && begin <= end)
            return std::string_view(s.bases).substr(static_cast<std::size_t>(begin - s.begin),
                                                    static_cast<std::size_t>(end - begin));
    }
    throw std::out_of_range("chr4:" + std::to_string(begin + 1) + "-" + std::to_string(end) +
                            " is outside the shipped reference windows");
}

namespace {

// FASTA headers of the shipped windows carry "<build> chr4:<start>-<end>" (1-based inclusive).
std::vector<ReferenceSequence::Segment> parse_fasta_windows(std::string_view fasta, std::string_view build) {
    std::vector<ReferenceSequence::Segment> segments;
    std::istringstream in{std::string(fasta)};
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line[0] == '>') {
            const auto at = line.find(std::string(build) + " chr4:");
            if (at == std::string::npos)
                throw std::logic_error("internal error: FASTA header without coordinates: " + line);
            const auto coords = line.substr(at + build.size() + 6);
            segments.push_back({std::stoll(coords) - 1, {}});
            continue;
        }
        for (char c : line)
            segments.back().bases.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return segments;
}

std::string parse_single_fasta(std::string_view fasta) {
    std::istringstream in{std::string(fasta)};
    std::string line, seq;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '>') continue;
        seq += line;
    }
    return seq;
}

Transcript load_transcript(std::string_view gene, Build build) {
    Transcript t;
    t.gene = std::string(gene);
    t.build = build;
    t.accession = gene == "KIT" ? "NM_000222.3" : "NM_006206.4";
    t.ensembl = gene == "KIT" ? "ENST00000288135" : "ENST00000257290";
    const auto table = embedded_resource("genome/" + std::string(gene) + ".exons.tsv");
    std::istringstream in{std::string(table)};
    std::string line;
    std::getline(in, line);  // header
    const auto header = split(line, '\t');
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto f = split(line, '\t');
        if (f[col.at("build")] != to_string(build)) continue;
        Exon e;
        e.number = std::stoi(f[col.at("exon")]);
        e.begin = std::stoll(f[col.at("start")]) - 1;
        e.end = std::stoll(f[col.at("end")]);
        e.cds_begin = std::stoll(f[col.at("cds_genomic_start")]) - 1;
        e.cds_end = std::stoll(f[col.at("cds_genomic_end")]);
        e.cds_start_c = std::stoi(f[col.at("cds_start_c")]);
        e.cds_end_c = std::stoi(f[col.at("cds_end_c")]);
        t.exons.push_back(e);
    }
    std::sort(t.exons.begin(), t.exons.end(),
              [](const Exon& a, const Exon& b) { return a.number < b.number; });
    t.cds = parse_single_fasta(embedded_resource("genome/" + std::string(gene) + ".cds.fa"));
    t.protein = parse_single_fasta(embedded_resource("genome/" + std::string(gene) + ".protein.fa"));
    return t;
}

GenomeModel load_builtin(Build build) {
    std::vector<Transcript> transcripts{load_transcript("KIT", build), load_transcript("PDGFRA", build)};
    const auto fasta = build == Build::kGRCh38
                           ? embedded_resource("genome/GRCh38.KIT_PDGFRA_loci.fa")
                           : embedded_resource("genome/GRCh37.KIT_PDGFRA_loci.DERIVED.fa");
    return GenomeModel(build, std::move(transcripts),
                       ReferenceSequence(parse_fasta_windows(fasta, to_string(build))));
}

}  // namespace

GenomeModel::GenomeModel(Build build, std::vector<Transcript> transcripts, ReferenceSequence reference)
    : build_(build), transcripts_(std::move(transcripts)), reference_(std::move(reference)) {}

const GenomeModel& GenomeModel::builtin(Build build) {
    static std::once_flag once37, once38;
    static std::optional<GenomeModel> m37, m38;
    if (build == Build::kGRCh37) {
        std::call_once(once37, [] { m37.emplace(load_builtin(Build::kGRCh37)); });
        return *m37;
    }
    std::call_once(once38, [] { m38.emplace(load_builtin(Build::kGRCh38)); });
    return *m38;
}

const Transcript& GenomeModel::transcript(std::string_view gene) const {
    for (const auto& t : transcripts_)
        if (t.gene == gene) return t;
    throw std::invalid_argument("unknown gene '" + std::string(gene) + "' (known: KIT, PDGFRA)");
}

std::vector<TargetRegion> GenomeModel::targets(const std::vector<std::string>& genes,
                                               const std::vector<int>& exons) const {
    std::vector<TargetRegion> out;
    for (const auto& gene : genes) {
        const Transcript& t = transcript(gene);
        const std::vector<int> wanted = exons.empty() ? default_exons(gene) : exons;
        for (int number : wanted) {
            const Exon* e = t.exon(number);
            if (!e) continue;
            out.push_back(
                {gene, number, e->cds_begin - kSpliceRegionIntronic, e->cds_end + kSpliceRegionIntronic});
        }
    }
    std::sort(out.begin(), out.end(),
              [](const TargetRegion& a, const TargetRegion& b) { return a.begin < b.begin; });
    return out;
}

}  // namespace kitrx
