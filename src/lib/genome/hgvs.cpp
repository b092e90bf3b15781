// SPDX-License-Identifier: MIT
// HGVS naming of KIT/PDGFRA changes. Design notes (the rules a reader needs to trust the names):
//
// 1. Allele trimming. REF/ALT are trimmed of their common suffix, then prefix. What is left is
//    either a substitution (SNV, MNV, delins: one placement only) or a pure deletion/insertion.
// 2. Placements of an indel. A pure indel in a repeat has several equivalent placements (the
//    mutant sequence is the same). We compute the 5'-most one (VCF left normalisation) and how far
//    it can move 3'; placement k is the left one moved k bases right.
// 3. c. name: from the left-most placement, moved 3' (HGVS 3' rule) but never across an
//    exon/intron boundary (HGVS exception for exon borders; also what VEP/biocommons do). When the
//    left-most placement already spans a boundary it is not moved. The result is independent of
//    how the input was aligned. KIT GRCh37 4:55593579 CAGAAACCCATGTATGAAGTACAGTGGA>C therefore
//    stays c.1648-2_1672del.
// 4. p. name and consequence: computed from the 3'-most placement that lies wholly in transcribed
//    coding sequence, when one exists. Equivalent placements give the identical mutant molecule,
//    and one that leaves both splice sites intact is the reading a spliceosome sees. For
//    c.1648-2_1672del the deleted "AG" acceptor is re-formed by the "AG" of codon 558 (AAG); the
//    molecule is exactly the exonic c.1648_1674del, so p. is p.Lys550_Lys558del (in-frame; the
//    form the GIST literature and hmftools' testInframeDueToMicrohomology give) instead of the
//    splice p.? or SnpEff's p.Lys550fs. Without such a placement, changes touching intronic +-1/2
//    are splice-site (p.?), +-3..8 splice-region (p.?), deeper intronic p.(=).
// 5. Protein comparison: reference and mutant proteins are compared from the first affected codon
//    to the stop (linear in the remaining CDS). Common prefix is trimmed first, then the common
//    suffix, which puts deletions/duplications in amino-acid repeats at their 3'-most residue
//    (V559_V560 -> V560del; E561/E562 -> E562del) and minimises delins (Q556_K558delinsVE).
// 6. Consequence of in-frame changes follows the protein result (missense, nonsense, synonymous,
//    del, ins/dup); where the protein result is a delins, the DNA type decides: a DNA deletion
//    stays an in-frame deletion (PDGFRA S566_E571delinsR), a DNA insertion an in-frame insertion,
//    a DNA delins or MNV is kInframeDelins (protein_altering_variant).
// Over 600 lines on purpose: trimming, 3' shifting, c. and p. naming are one algorithm whose design
// notes follow; each step's correctness depends on the one before it.
#include "kitrx/genome/hgvs.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "kitrx/genome/protein_change.hpp"

namespace kitrx {

std::string to_string(Consequence c) {
    switch (c) {
        case Consequence::kMissense:
            return "missense_variant";
        case Consequence::kSynonymous:
            return "synonymous_variant";
        case Consequence::kNonsense:
            return "stop_gained";
        case Consequence::kStopLost:
            return "stop_lost";
        case Consequence::kStartLost:
            return "start_lost";
        case Consequence::kInframeDeletion:
            return "inframe_deletion";
        case Consequence::kInframeInsertion:
            return "inframe_insertion";
        case Consequence::kInframeDelins:
            return "protein_altering_variant";
        case Consequence::kFrameshift:
            return "frameshift_variant";
        case Consequence::kSpliceSite:
            return "splice_site_variant";
        case Consequence::kSpliceRegion:
            return "splice_region_variant";
        case Consequence::kIntronic:
            return "intron_variant";
        case Consequence::kOther:
            return "sequence_variant";
    }
    return "sequence_variant";
}

namespace {

// Changes further than this from the transcript's first/last exon are refused: they belong to
// another gene (or to none) and a c. name relative to this transcript would be meaningless.
constexpr std::int64_t kMaxDistanceFromTranscript = 50000;
// Bases after the last coding base used to translate through a lost stop codon or a frameshift
// that runs past the original stop.
constexpr std::int64_t kReadThroughBases = 3000;
// Intronic distance of the splice donor/acceptor dinucleotides.
constexpr std::int64_t kSpliceSiteIntronic = 2;

char translate_codon(std::string_view codon) {
    // Standard genetic code, bases ordered T, C, A, G.
    static constexpr std::string_view kTable =
        "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
    int index = 0;
    for (char b : codon) {
        int v = 0;
        switch (b) {
            case 'T':
                v = 0;
                break;
            case 'C':
                v = 1;
                break;
            case 'A':
                v = 2;
                break;
            case 'G':
                v = 3;
                break;
            default:
                return 'X';
        }
        index = index * 4 + v;
    }
    return kTable[static_cast<std::size_t>(index)];
}

// Translates codon by codon until (and including) the first stop; `complete` tells whether a
// stop was reached before the sequence ran out.
std::string translate_to_stop(std::string_view seq, bool& complete) {
    std::string out;
    out.reserve(seq.size() / 3 + 1);
    complete = false;
    for (std::size_t i = 0; i + 3 <= seq.size(); i += 3) {
        const char aa = translate_codon(seq.substr(i, 3));
        out.push_back(aa);
        if (aa == '*') {
            complete = true;
            break;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Protein change and its two spellings.

enum class ProteinKind {
    kNoChange,  // p.(=): predicted not to alter the protein (UTR, deep intron)
    kUnknown,   // p.?: splice-affecting
    kSynonymous,
    kMissense,
    kStartLost,
    kDeletion,
    kDuplication,
    kInsertion,
    kDelins,  // includes nonsense (alt == "*") and delins ending in a stop
    kFrameshift,
    kExtension
};

struct ProteinChange {
    ProteinKind kind = ProteinKind::kNoChange;
    int first = 0;         // 1-based residue number of the first named residue
    int last = 0;          // 1-based residue number of the last named residue (== first if one)
    char first_aa = 0;     // reference residue at `first` ('*' = the stop codon)
    char last_aa = 0;      // reference residue at `last`
    std::string alt;       // new residues (missense, ins, dup unused, delins, fs/ext: first new)
    std::string new_stop;  // fs/ext: position of the new stop ("19") or "?"
};

std::string aa_text(char aa, bool three) {
    return three ? three_letter(aa) : std::string(1, aa);
}

std::string residues_text(std::string_view residues, bool three) {
    std::string out;
    for (char aa : residues) out += aa_text(aa, three);
    return out;
}

std::string range_text(const ProteinChange& p, bool three) {
    std::string out = aa_text(p.first_aa, three) + std::to_string(p.first);
    if (p.last != p.first) out += "_" + aa_text(p.last_aa, three) + std::to_string(p.last);
    return out;
}

// Without the "p." prefix.
std::string format_protein(const ProteinChange& p, bool three) {
    switch (p.kind) {
        case ProteinKind::kNoChange:
            return "(=)";
        case ProteinKind::kUnknown:
            return "?";
        case ProteinKind::kSynonymous:
            return aa_text(p.first_aa, three) + std::to_string(p.first) + "=";
        case ProteinKind::kMissense:
            return aa_text(p.first_aa, three) + std::to_string(p.first) + residues_text(p.alt, three);
        case ProteinKind::kStartLost:
            return aa_text(p.first_aa, three) + std::to_string(p.first) + "?";
        case ProteinKind::kDeletion:
            return range_text(p, three) + "del";
        case ProteinKind::kDuplication:
            return range_text(p, three) + "dup";
        case ProteinKind::kInsertion:
            return range_text(p, three) + "ins" + residues_text(p.alt, three);
        case ProteinKind::kDelins:
            if (p.first == p.last && p.alt.size() == 1)  // nonsense: p.Trp557Ter / W557*
                return aa_text(p.first_aa, three) + std::to_string(p.first) + residues_text(p.alt, three);
            return range_text(p, three) + "delins" + residues_text(p.alt, three);
        case ProteinKind::kFrameshift:
            return aa_text(p.first_aa, three) + std::to_string(p.first) + residues_text(p.alt, three) + "fs" +
                   aa_text('*', three) + p.new_stop;
        case ProteinKind::kExtension:
            return aa_text(p.first_aa, three) + std::to_string(p.first) + residues_text(p.alt, three) +
                   "ext" + aa_text('*', three) + p.new_stop;
    }
    return "?";
}

// ---------------------------------------------------------------------------------------------
// Genomic change and reference window.

// Reference bases [begin, end) replaced by `ins` (0-based). begin == end: insertion before `begin`.
struct Change {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::string ins;

    [[nodiscard]] std::int64_t del_length() const { return end - begin; }
    [[nodiscard]] bool is_pure_indel() const { return del_length() == 0 || ins.empty(); }
};

// One shipped reference segment.
struct Window {
    std::int64_t begin = 0;
    std::string_view bases;

    [[nodiscard]] std::int64_t end() const { return begin + static_cast<std::int64_t>(bases.size()); }
    [[nodiscard]] char at(std::int64_t pos) const { return bases[static_cast<std::size_t>(pos - begin)]; }
    [[nodiscard]] std::string_view slice(std::int64_t b, std::int64_t e) const {
        return bases.substr(static_cast<std::size_t>(b - begin), static_cast<std::size_t>(e - b));
    }
};

std::optional<Window> window_for(const ReferenceSequence& reference, std::int64_t begin, std::int64_t end) {
    for (const auto& s : reference.segments()) {
        const Window w{s.begin, s.bases};
        if (begin >= w.begin && end <= w.end()) return w;
    }
    return std::nullopt;
}

// "chr4:55593608 GGTT>G" for messages; long alleles are shortened.
std::string describe(std::int64_t pos0, const std::string& ref, const std::string& alt) {
    auto shorten = [](const std::string& a) { return a.size() <= 24 ? a : a.substr(0, 20) + "..."; };
    return "chr4:" + std::to_string(pos0 + 1) + " " + shorten(ref) + ">" + shorten(alt);
}

std::string upper_acgt(const std::string& allele,
                       const char* which,
                       std::int64_t pos0,
                       const std::string& ref,
                       const std::string& alt) {
    if (allele.empty())
        throw std::invalid_argument(describe(pos0, ref, alt) + ": " + which + " is empty" +
                                    "; VCF alleles carry at least one base (indels keep their anchor base)");
    std::string out(allele);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (c != 'A' && c != 'C' && c != 'G' && c != 'T')
            throw std::invalid_argument(describe(pos0, ref, alt) + ": " + which + " contains '" +
                                        std::string(1, c == 0 ? '?' : c) +
                                        "'; only A, C, G and T can be named (symbolic, missing or "
                                        "IUPAC-ambiguous alleles are not supported)");
    }
    return out;
}

// Trims the common suffix, then the common prefix, of REF/ALT at pos0.
Change trim(std::int64_t pos0, const std::string& ref, const std::string& alt) {
    std::size_t suffix = 0;
    while (suffix < ref.size() && suffix < alt.size() &&
           ref[ref.size() - 1 - suffix] == alt[alt.size() - 1 - suffix])
        ++suffix;
    const std::size_t ref_len = ref.size() - suffix, alt_len = alt.size() - suffix;
    std::size_t prefix = 0;
    while (prefix < ref_len && prefix < alt_len && ref[prefix] == alt[prefix]) ++prefix;
    Change c;
    c.begin = pos0 + static_cast<std::int64_t>(prefix);
    c.end = pos0 + static_cast<std::int64_t>(ref_len);
    c.ins = alt.substr(prefix, alt_len - prefix);
    return c;
}

// Placement k of a pure indel: the left-most placement moved k bases 3'.
Change placement(const Change& left, std::int64_t k) {
    Change c{left.begin + k, left.end + k, left.ins};
    if (!c.ins.empty() && k > 0) {
        const auto n = static_cast<std::int64_t>(c.ins.size());
        std::rotate(c.ins.begin(), c.ins.begin() + static_cast<std::ptrdiff_t>(k % n), c.ins.end());
    }
    return c;
}

// Moves a pure indel 5' as far as the window allows.
Change left_normalise(Change c, const Window& w) {
    if (c.ins.empty()) {
        // Keep one anchor base inside the window for the VCF form.
        while (c.begin - 1 > w.begin && w.at(c.begin - 1) == w.at(c.end - 1)) --c.begin, --c.end;
    } else {
        while (c.begin - 1 > w.begin && w.at(c.begin - 1) == c.ins.back()) {
            std::rotate(c.ins.rbegin(), c.ins.rbegin() + 1, c.ins.rend());
            --c.begin, --c.end;
        }
    }
    return c;
}

// How many bases the left-most placement can move 3' within the window.
std::int64_t max_right_shift(const Change& left, const Window& w) {
    std::int64_t k = 0;
    if (left.ins.empty()) {
        while (left.end + k < w.end() && w.at(left.begin + k) == w.at(left.end + k)) ++k;
    } else {
        const auto n = left.ins.size();
        while (left.begin + k < w.end() && w.at(left.begin + k) == left.ins[static_cast<std::size_t>(k) % n])
            ++k;
    }
    return k;
}

// ---------------------------------------------------------------------------------------------
// Transcript geometry.

enum class Severity { kNone = 0, kIntronic = 1, kSpliceRegion = 2, kSpliceSite = 3 };

struct SpliceHit {
    Severity severity = Severity::kNone;
    int exon = 0;    // exon whose splice site / region it is
    int intron = 0;  // intron number (intron k follows exon k)
};

class TranscriptMap {
public:
    explicit TranscriptMap(const Transcript& t) : t_(t), exons_(t.exons) {}

    [[nodiscard]] std::int64_t cds_length() const { return static_cast<std::int64_t>(t_.cds.size()); }
    [[nodiscard]] const std::vector<Exon>& exons() const { return exons_; }

    [[nodiscard]] const Exon* exon_containing(std::int64_t pos) const {
        for (const auto& e : exons_)
            if (pos >= e.begin && pos < e.end) return &e;
        return nullptr;
    }

    // Index into CDS + downstream sequence (0-based: c.1 = 0), or nullopt for introns and 5' UTR.
    [[nodiscard]] std::optional<std::int64_t> tx_index(std::int64_t pos) const {
        for (const auto& e : exons_)
            if (pos >= e.cds_begin && pos < e.cds_end) return e.cds_start_c - 1 + (pos - e.cds_begin);
        const Exon& last = exons_.back();
        if (pos >= last.cds_end) return cds_length() + (pos - last.cds_end);
        return std::nullopt;
    }

    // Transcript index range [ta, tb) of a change when it lies in contiguous coding (or post-stop)
    // sequence; insertions at the very edge of a coding exon count as exonic (the splice
    // dinucleotides stay intact and the exon gains the bases).
    [[nodiscard]] std::optional<std::pair<std::int64_t, std::int64_t>> tx_range(const Change& c) const {
        if (c.del_length() > 0) {
            const auto a = tx_index(c.begin), b = tx_index(c.end - 1);
            if (!a || !b || *b - *a != c.end - 1 - c.begin) return std::nullopt;
            return std::make_pair(*a, *b + 1);
        }
        const auto before = tx_index(c.begin - 1), after = tx_index(c.begin);
        std::optional<std::int64_t> t;
        if (before && after) {
            if (*after != *before + 1) return std::nullopt;
            t = after;
        } else if (before) {
            t = *before + 1;
        } else if (after) {
            t = after;
        }
        if (!t) return std::nullopt;
        return std::make_pair(*t, *t);
    }

    // The exon/intron/flank interval a base lies in: [begin, end).
    [[nodiscard]] std::pair<std::int64_t, std::int64_t> feature(std::int64_t pos) const {
        constexpr auto kFar = std::numeric_limits<std::int64_t>::max() / 4;
        if (pos < exons_.front().begin) return {-kFar, exons_.front().begin};
        for (std::size_t i = 0; i < exons_.size(); ++i) {
            const Exon& e = exons_[i];
            if (pos < e.end) {
                if (pos >= e.begin) return {e.begin, e.end};
                return {exons_[i - 1].end, e.begin};
            }
        }
        return {exons_.back().end, kFar};
    }

    // HGVS c. position of one base (without "c.").
    [[nodiscard]] std::string c_pos(std::int64_t pos) const {
        if (const Exon* e = exon_containing(pos)) return exon_c(*e, pos);
        const Exon& first = exons_.front();
        const Exon& last = exons_.back();
        if (pos < first.begin) {
            // A first modelled exon numbered > 1 (PDGFRA exon 2) is preceded by an intron.
            if (first.number > 1) return exon_c(first, first.begin) + "-" + std::to_string(first.begin - pos);
            return "-" + std::to_string(first.cds_begin - pos);
        }
        if (pos >= last.end) return "*" + std::to_string(pos - last.cds_end + 1);
        for (std::size_t i = 0; i + 1 < exons_.size(); ++i) {
            const Exon& up = exons_[i];
            const Exon& down = exons_[i + 1];
            if (pos >= up.end && pos < down.begin) {
                const std::int64_t d5 = pos - (up.end - 1), d3 = down.begin - pos;
                // The middle base of an odd-length intron takes "+".
                if (d5 <= d3) return exon_c(up, up.end - 1) + "+" + std::to_string(d5);
                return exon_c(down, down.begin) + "-" + std::to_string(d3);
            }
        }
        throw std::logic_error("internal error: no c. position for chr4:" + std::to_string(pos + 1));
    }

    // Splice classification of one base.
    [[nodiscard]] SpliceHit splice_of(std::int64_t pos) const {
        if (exon_containing(pos)) return {};
        const Exon& first = exons_.front();
        auto grade = [](std::int64_t d) {
            if (d <= kSpliceSiteIntronic) return Severity::kSpliceSite;
            if (d <= kSpliceRegionIntronic) return Severity::kSpliceRegion;
            return Severity::kIntronic;
        };
        if (pos < first.begin) {
            if (first.number <= 1) return {};  // upstream of the transcript start: no splice site
            return {grade(first.begin - pos), first.number, first.number - 1};
        }
        if (pos >= exons_.back().end) return {};
        for (std::size_t i = 0; i + 1 < exons_.size(); ++i) {
            const Exon& up = exons_[i];
            const Exon& down = exons_[i + 1];
            if (pos >= up.end && pos < down.begin) {
                const std::int64_t d5 = pos - (up.end - 1), d3 = down.begin - pos;
                const std::int64_t d = std::min(d5, d3);
                const Severity s = grade(d);
                return {s, s == Severity::kIntronic ? 0 : (d5 <= d3 ? up.number : down.number), up.number};
            }
        }
        return {};
    }

    // Worst splice classification of a placement.
    [[nodiscard]] SpliceHit splice_of(const Change& c) const {
        if (c.del_length() > 0) {
            SpliceHit worst;
            for (std::int64_t p = c.begin; p < c.end; ++p) {
                const SpliceHit h = splice_of(p);
                if (h.severity > worst.severity) worst = h;
                if (worst.intron == 0) worst.intron = h.intron;
            }
            return worst;
        }
        // Insertion between two bases: it breaks a splice dinucleotide only when both neighbours
        // belong to it; otherwise it is at most in the splice region.
        const SpliceHit a = splice_of(c.begin - 1), b = splice_of(c.begin);
        SpliceHit out = a.severity >= b.severity ? a : b;
        if (out.intron == 0) out.intron = a.intron ? a.intron : b.intron;
        if (out.severity == Severity::kSpliceSite &&
            !(a.severity == Severity::kSpliceSite && b.severity == Severity::kSpliceSite))
            out.severity = Severity::kSpliceRegion;
        return out;
    }

private:
    [[nodiscard]] std::string exon_c(const Exon& e, std::int64_t pos) const {
        if (pos < e.cds_begin) return "-" + std::to_string(e.cds_begin - pos);
        if (pos >= e.cds_end) return "*" + std::to_string(pos - e.cds_end + 1);
        return std::to_string(e.cds_start_c + (pos - e.cds_begin));
    }

    const Transcript& t_;
    const std::vector<Exon>& exons_;
};

// ---------------------------------------------------------------------------------------------
// c. text.

std::string c_range(const TranscriptMap& map, std::int64_t begin, std::int64_t end_inclusive) {
    std::string out = map.c_pos(begin);
    if (end_inclusive != begin) out += "_" + map.c_pos(end_inclusive);
    return out;
}

std::string hgvs_c_of(const TranscriptMap& map, const Change& c, const Window& w) {
    const auto del = c.del_length();
    const auto ins = static_cast<std::int64_t>(c.ins.size());
    if (del == 1 && ins == 1) return "c." + map.c_pos(c.begin) + std::string(1, w.at(c.begin)) + ">" + c.ins;
    if (ins == 0) return "c." + c_range(map, c.begin, c.end - 1) + "del";
    if (del == 0) {
        // HGVS prefers dup: the inserted bases repeat the bases just before (3'-shifted form) or,
        // when a boundary stopped the shift, just after the insertion point.
        if (c.begin - ins >= w.begin && w.slice(c.begin - ins, c.begin) == c.ins)
            return "c." + c_range(map, c.begin - ins, c.begin - 1) + "dup";
        if (c.begin + ins <= w.end() && w.slice(c.begin, c.begin + ins) == c.ins)
            return "c." + c_range(map, c.begin, c.begin + ins - 1) + "dup";
        return "c." + map.c_pos(c.begin - 1) + "_" + map.c_pos(c.begin) + "ins" + c.ins;
    }
    return "c." + c_range(map, c.begin, c.end - 1) + "delins" + c.ins;
}

// ---------------------------------------------------------------------------------------------
// Protein effect of a change lying in coding (or post-stop) transcript sequence.

struct CodingEffect {
    ProteinChange protein;
    Consequence consequence = Consequence::kOther;
    int codon_begin = 0;
    int codon_end = 0;
};

// `ext` = CDS + bases after the stop; the change replaces ext[ta, tb) by `ins`.
CodingEffect coding_effect(const Transcript& t,
                           const std::string& ext,
                           std::int64_t ta,
                           std::int64_t tb,
                           const std::string& ins,
                           bool dna_deletion,
                           bool dna_insertion) {
    CodingEffect out;
    const auto cds_len = static_cast<std::int64_t>(t.cds.size());
    const auto ext_len = static_cast<std::int64_t>(ext.size());
    const auto protein_len = static_cast<std::int64_t>(t.protein.size());
    const auto net = static_cast<std::int64_t>(ins.size()) - (tb - ta);
    const bool in_frame = net % 3 == 0;
    // Entirely after the stop codon, or an insertion just before the ATG: UTR change.
    if (ta >= cds_len || (ta == 0 && tb == 0)) {
        out.protein.kind = ProteinKind::kNoChange;
        return out;
    }
    const std::int64_t ca = ta / 3;  // first codon that can change (0-based)
    std::string mutant = ext.substr(static_cast<std::size_t>(ca * 3), static_cast<std::size_t>(ta - ca * 3));
    mutant += ins;
    if (tb < ext_len) mutant.append(ext, static_cast<std::size_t>(tb), std::string::npos);

    if (ca == 0 && mutant.compare(0, 3, "ATG") != 0) {
        out.protein = {ProteinKind::kStartLost, 1, 1, 'M', 'M', "", ""};
        out.consequence = Consequence::kStartLost;
        out.codon_begin = out.codon_end = 1;
        return out;
    }

    // Reference and mutant proteins from codon `ca` on; index i here is protein index ca + i.
    const std::string ref_aa = t.protein.substr(static_cast<std::size_t>(ca)) + "*";
    bool complete = false;
    const std::string alt_aa = translate_to_stop(mutant, complete);
    const auto ref_len = static_cast<std::int64_t>(ref_aa.size());
    const auto alt_len = static_cast<std::int64_t>(alt_aa.size());
    const std::int64_t stop_ref = ref_len - 1;
    auto residue = [&](std::int64_t i) { return static_cast<int>(ca + i) + 1; };
    auto ref_at = [&](std::int64_t i) { return ref_aa[static_cast<std::size_t>(i)]; };
    auto alt_at = [&](std::int64_t i) { return alt_aa[static_cast<std::size_t>(i)]; };

    std::int64_t i = 0;
    while (i < ref_len && i < alt_len && ref_at(i) == alt_at(i)) ++i;
    if (i == ref_len) {
        // Same protein, stop included: synonymous (named at the first changed codon).
        const std::int64_t codon0 = ta / 3;
        const char aa = codon0 < protein_len ? t.protein[static_cast<std::size_t>(codon0)] : '*';
        out.protein = {ProteinKind::kSynonymous,
                       static_cast<int>(codon0) + 1,
                       static_cast<int>(codon0) + 1,
                       aa,
                       aa,
                       "",
                       ""};
        out.consequence = Consequence::kSynonymous;
        out.codon_begin = static_cast<int>(codon0) + 1;
        out.codon_end = static_cast<int>((std::max(tb, ta + 1) - 1) / 3) + 1;
        return out;
    }
    if (i == alt_len) {
        // The mutant ran out of available sequence before differing or stopping.
        out.protein = {ProteinKind::kFrameshift, residue(i), residue(i), ref_at(i), ref_at(i), "X", "?"};
        out.consequence = in_frame ? Consequence::kStopLost : Consequence::kFrameshift;
        out.codon_begin = out.codon_end = residue(i);
        return out;
    }
    const char ref_i = ref_at(i);
    const char alt_i = alt_at(i);
    const std::int64_t alt_stop = complete ? alt_len - 1 : -1;
    // fs: the first changed residue counts as 1; ext: the first residue after the old stop does.
    auto stop_count = [&](std::int64_t from) {
        return alt_stop >= 0 ? std::to_string(alt_stop - from) : std::string("?");
    };
    out.codon_begin = out.codon_end = residue(i);
    // A change of the stop itself is an extension (p.Ter977GlnextTer17); one starting upstream of
    // it, a frameshift (HGVS).
    auto extension_or_frameshift = [&]() -> ProteinChange {
        if (ref_i == '*')
            return {ProteinKind::kExtension, residue(i),   residue(i), '*', '*',
                    std::string(1, alt_i),   stop_count(i)};
        return {ProteinKind::kFrameshift, residue(i),       residue(i), ref_i, ref_i,
                std::string(1, alt_i),    stop_count(i - 1)};
    };

    if (!in_frame) {
        out.consequence = Consequence::kFrameshift;
        if (alt_i == '*')  // the first changed residue is a stop: named as nonsense
            out.protein = {ProteinKind::kDelins, residue(i), residue(i), ref_i, ref_i, "*", ""};
        else
            out.protein = extension_or_frameshift();
        return out;
    }

    // In frame: where the original stop should sit in the mutant.
    const std::int64_t expected_stop = stop_ref + net / 3;
    if (alt_stop >= 0 && alt_stop < expected_stop) {
        // Premature stop: nonsense (p.Trp557Ter) or a delins ending in Ter.
        out.consequence = Consequence::kNonsense;
        if (alt_i == '*') {
            out.protein = {ProteinKind::kDelins, residue(i), residue(i), ref_i, ref_i, "*", ""};
            return out;
        }
        const std::int64_t k = std::max(i, std::min(alt_stop, stop_ref - 1));
        out.protein = {ProteinKind::kDelins,
                       residue(i),
                       residue(k),
                       ref_i,
                       ref_at(k),
                       alt_aa.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(alt_stop - i + 1)),
                       ""};
        out.codon_end = residue(k);
        return out;
    }
    if (alt_stop != expected_stop) {
        // The stop codon is gone.
        out.consequence = Consequence::kStopLost;
        out.protein = extension_or_frameshift();
        return out;
    }

    // Both proteins end at the original stop: trim the common suffix, not into the prefix.
    std::int64_t j = 0;
    while (j < ref_len - i && j < alt_len - i && ref_at(ref_len - 1 - j) == alt_at(alt_len - 1 - j)) ++j;
    const std::int64_t rs = ref_len - j - i;
    const std::int64_t as = alt_len - j - i;
    const std::string alt_sub = alt_aa.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(as));

    if (rs == 1 && as == 1) {
        out.protein = {ProteinKind::kMissense, residue(i), residue(i), ref_i, ref_i, alt_sub, ""};
        out.consequence = Consequence::kMissense;
        return out;
    }
    if (rs == 0) {
        // Insertion before protein index g (0-based; g >= 1 since codon 1 is unchanged here).
        // Prefix-first trimming already put it 3'-most, so a copy of the residues just before it
        // is a duplication.
        const std::int64_t g = ca + i;
        const auto ref_residue = [&](std::int64_t x) {
            return x < protein_len ? t.protein[static_cast<std::size_t>(x)] : '*';
        };
        if (g >= as &&
            t.protein.compare(static_cast<std::size_t>(g - as), static_cast<std::size_t>(as), alt_sub) == 0) {
            out.protein = {ProteinKind::kDuplication,
                           static_cast<int>(g - as) + 1,
                           static_cast<int>(g),
                           ref_residue(g - as),
                           ref_residue(g - 1),
                           "",
                           ""};
            out.codon_begin = static_cast<int>(g - as) + 1;
            out.codon_end = static_cast<int>(g);
        } else {
            out.protein = {ProteinKind::kInsertion,
                           static_cast<int>(g),
                           static_cast<int>(g) + 1,
                           ref_residue(g - 1),
                           ref_residue(g),
                           alt_sub,
                           ""};
            out.codon_begin = static_cast<int>(g);
            out.codon_end = static_cast<int>(g) + 1;
        }
        out.consequence = Consequence::kInframeInsertion;
        return out;
    }
    const int last = residue(i + rs - 1);
    const char last_aa = ref_at(i + rs - 1);
    out.codon_end = last;
    if (as == 0) {
        out.protein = {ProteinKind::kDeletion, residue(i), last, ref_i, last_aa, "", ""};
        out.consequence = Consequence::kInframeDeletion;
        return out;
    }
    out.protein = {ProteinKind::kDelins, residue(i), last, ref_i, last_aa, alt_sub, ""};
    out.consequence = dna_deletion    ? Consequence::kInframeDeletion
                      : dna_insertion ? Consequence::kInframeInsertion
                                      : Consequence::kInframeDelins;
    return out;
}

// CDS followed by up to kReadThroughBases genomic bases after the last coding base.
std::string extended_cds(const Transcript& t, const ReferenceSequence& reference) {
    std::string ext = t.cds;
    const Exon& last = t.exons.back();
    if (const auto w = window_for(reference, last.cds_end - 1, last.cds_end)) {
        const std::int64_t end = std::min(w->end(), last.cds_end + kReadThroughBases);
        ext.append(w->slice(last.cds_end, end));
    }
    return ext;
}

}  // namespace

VariantName VariantNamer::name(std::string_view gene,
                               std::int64_t pos0,
                               const std::string& ref_in,
                               const std::string& alt_in) const {
    const Transcript& t = model_.transcript(gene);
    const std::string ref = upper_acgt(ref_in, "REF", pos0, ref_in, alt_in);
    const std::string alt = upper_acgt(alt_in, "ALT", pos0, ref_in, alt_in);
    const auto ref_end = pos0 + static_cast<std::int64_t>(ref.size());
    if (pos0 < 0)
        throw std::invalid_argument("position " + std::to_string(pos0 + 1) + " of " +
                                    describe(pos0, ref, alt) + " is not a chromosome position");
    const auto window = window_for(model_.reference(), pos0, ref_end);
    if (!window)
        throw std::invalid_argument(describe(pos0, ref, alt) + ": REF reaches outside the shipped " +
                                    to_string(model_.build()) + " reference windows; only changes near " +
                                    t.gene + " exons can be named (is the genome build right?)");
    const TranscriptMap map(t);
    if (ref_end < map.exons().front().begin - kMaxDistanceFromTranscript ||
        pos0 > map.exons().back().end + kMaxDistanceFromTranscript)
        throw std::invalid_argument(describe(pos0, ref, alt) + " is not within " + t.gene + " " +
                                    t.accession + "; pick the gene with gene_at()");
    if (ref == alt)
        throw std::invalid_argument(describe(pos0, ref, alt) +
                                    ": REF equals ALT, there is no change to name");

    const Change trimmed = trim(pos0, ref, alt);
    const bool pure_indel = trimmed.is_pure_indel();
    const bool dna_deletion = trimmed.ins.empty();
    const bool dna_insertion = trimmed.del_length() == 0;

    // Placements (design note 2, 3).
    Change left = trimmed;
    std::int64_t max_shift = 0;
    std::int64_t name_shift = 0;
    if (pure_indel) {
        left = left_normalise(trimmed, *window);
        max_shift = max_right_shift(left, *window);
        const auto [fb, fe] = map.feature(dna_deletion ? left.begin : left.begin - 1);
        (void)fb;
        if (dna_deletion) {
            if (left.end <= fe) name_shift = std::min(max_shift, fe - left.end);
        } else if (left.begin < fe) {
            name_shift = std::min(max_shift, fe - 1 - left.begin);
        }
    }
    const Change named = placement(left, name_shift);

    VariantName out;
    out.gene = t.gene;
    out.transcript = t.accession;
    out.is_indel = named.del_length() != static_cast<std::int64_t>(named.ins.size());
    out.hgvs_c = hgvs_c_of(map, named, *window);
    if (named.del_length() > 0 && !named.ins.empty()) {
        out.norm_pos0 = named.begin;
        out.norm_ref = std::string(window->slice(named.begin, named.end));
        out.norm_alt = named.ins;
    } else if (named.begin - 1 >= window->begin) {
        out.norm_pos0 = named.begin - 1;
        const char anchor = window->at(named.begin - 1);
        out.norm_ref = std::string(1, anchor) + std::string(window->slice(named.begin, named.end));
        out.norm_alt = std::string(1, anchor) + named.ins;
    } else {  // at the very start of a window: anchor on the base after (VCF allows this)
        out.norm_pos0 = named.begin;
        const char anchor = window->at(named.end);
        out.norm_ref = std::string(window->slice(named.begin, named.end)) + anchor;
        out.norm_alt = named.ins + anchor;
    }
    out.intron = map.splice_of(named).intron;

    // Protein and consequence (design note 4): 3'-most coding placement first.
    std::optional<Change> coding;
    std::optional<std::pair<std::int64_t, std::int64_t>> coding_range;
    for (std::int64_t k = max_shift; k >= 0; --k) {
        Change c = placement(left, k);
        if (auto r = map.tx_range(c)) {
            coding = std::move(c);
            coding_range = r;
            break;
        }
    }

    ProteinChange protein;
    if (coding) {
        const std::string ext = extended_cds(t, model_.reference());
        const CodingEffect effect = coding_effect(t, ext, coding_range->first, coding_range->second,
                                                  coding->ins, dna_deletion, dna_insertion);
        protein = effect.protein;
        out.consequence = effect.consequence;
        out.codon_begin = effect.codon_begin;
        out.codon_end = effect.codon_end;
        const std::int64_t probe = coding->del_length() > 0          ? coding->begin
                                   : map.tx_index(coding->begin - 1) ? coding->begin - 1
                                                                     : coding->begin;
        const Exon* e = map.exon_containing(probe);
        // Past the last exon's end only a stop-loss or read-through still concerns the last exon.
        out.exon = e ? e->number : (protein.kind == ProteinKind::kNoChange ? 0 : t.exons.back().number);
        if (protein.kind == ProteinKind::kNoChange) out.consequence = Consequence::kOther;
    } else {
        // Least severe reading over the equivalent placements.
        SpliceHit best;
        bool first = true;
        for (std::int64_t k = 0; k <= max_shift; ++k) {
            const SpliceHit h = map.splice_of(placement(left, k));
            if (first || h.severity < best.severity) best = h;
            first = false;
        }
        const Exon& first_exon = t.exons.front();
        const bool touches_start = named.del_length() > 0 ? named.begin < first_exon.cds_begin + 3 &&
                                                                named.end > first_exon.cds_begin
                                                          : false;
        if (touches_start) {
            protein = {ProteinKind::kStartLost, 1, 1, 'M', 'M', "", ""};
            out.consequence = Consequence::kStartLost;
            out.codon_begin = out.codon_end = 1;
            out.exon = first_exon.number;
        } else if (best.severity == Severity::kSpliceSite || best.severity == Severity::kSpliceRegion) {
            protein.kind = ProteinKind::kUnknown;
            out.consequence = best.severity == Severity::kSpliceSite ? Consequence::kSpliceSite
                                                                     : Consequence::kSpliceRegion;
            out.exon = best.exon;
        } else if (best.severity == Severity::kIntronic) {
            protein.kind = ProteinKind::kNoChange;
            out.consequence = Consequence::kIntronic;
        } else {
            protein.kind = ProteinKind::kNoChange;
            out.consequence = Consequence::kOther;
            const Exon* e = map.exon_containing(named.del_length() > 0 ? named.begin : named.begin - 1);
            out.exon = e ? e->number : 0;
        }
    }
    out.hgvs_p = "p." + format_protein(protein, true);
    out.protein = format_protein(protein, false);
    if (out.exon != 0) out.domain = domain_of(t.gene, out.exon);
    return out;
}

std::string VariantNamer::gene_at(std::int64_t pos0, std::size_t ref_length) const {
    const std::int64_t end = pos0 + static_cast<std::int64_t>(std::max<std::size_t>(ref_length, 1));
    for (const auto& t : model_.transcripts())
        for (const auto& e : t.exons)
            if (pos0 < e.cds_end + kSpliceRegionIntronic && end > e.cds_begin - kSpliceRegionIntronic)
                return t.gene;
    return "";
}

std::string VariantNamer::check_ref(std::int64_t pos0, const std::string& ref) const {
    const auto end = pos0 + static_cast<std::int64_t>(ref.size());
    if (pos0 < 0 || !model_.reference().covers(pos0, end))
        throw std::invalid_argument("REF '" + ref + "' at chr4:" + std::to_string(pos0 + 1) +
                                    " is outside the shipped " + to_string(model_.build()) +
                                    " reference windows; cannot check it");
    const std::string_view expected = model_.reference().fetch(pos0, end);
    for (std::size_t i = 0; i < ref.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(ref[i])) != expected[i]) return std::string(expected);
    return "";
}

bool merge_alleles(const ReferenceSequence& reference,
                   std::int64_t pos0_a,
                   const std::string& ref_a,
                   const std::string& alt_a,
                   std::int64_t pos0_b,
                   const std::string& ref_b,
                   const std::string& alt_b,
                   MergedAllele& out) {
    auto clean = [](const std::string& s, std::string& upper) {
        upper.clear();
        for (char c : s) {
            const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (u != 'A' && u != 'C' && u != 'G' && u != 'T') return false;
            upper.push_back(u);
        }
        return !upper.empty();
    };
    struct Allele {
        std::int64_t pos0;
        std::string ref, alt;
    };
    Allele a{pos0_a, {}, {}}, b{pos0_b, {}, {}};
    if (!clean(ref_a, a.ref) || !clean(alt_a, a.alt) || !clean(ref_b, b.ref) || !clean(alt_b, b.alt))
        return false;
    if (b.pos0 < a.pos0) std::swap(a, b);
    const std::int64_t a_end = a.pos0 + static_cast<std::int64_t>(a.ref.size());
    const std::int64_t b_end = b.pos0 + static_cast<std::int64_t>(b.ref.size());
    if (a.pos0 < 0 || b.pos0 < a_end) return false;  // overlapping REF alleles cannot both hold
    if (!reference.covers(a.pos0, b_end)) return false;
    const std::string_view span = reference.fetch(a.pos0, b_end);
    if (span.substr(0, a.ref.size()) != a.ref) return false;
    if (span.substr(static_cast<std::size_t>(b.pos0 - a.pos0)) != b.ref) return false;
    const std::string gap(span.substr(a.ref.size(), static_cast<std::size_t>(b.pos0 - a_end)));
    out.pos0 = a.pos0;
    out.ref = std::string(span);
    out.alt = a.alt + gap + b.alt;
    return true;
}

}  // namespace kitrx
