// SPDX-License-Identifier: MIT
// Microbenchmarks of kitrx's per-record hot paths: skipping non-target VCF records while
// streaming, naming a variant, matching the panel, and counting one read. End-to-end timings
// against bcftools/samtools are in bench/run_bench.sh.
#include <cstdio>
#include <fstream>
#include <string>

#include <benchmark/benchmark.h>

#include "kitrx/genome/genome.hpp"
#include "kitrx/genome/hgvs.hpp"
#include "kitrx/io/read_counter.hpp"
#include "kitrx/io/source.hpp"
#include "kitrx/panel/annotate.hpp"
#include "kitrx/panel/panel.hpp"
#include "read_builder.hpp"

namespace {

using namespace kitrx;

const GenomeModel& grch38() {
    return GenomeModel::builtin(Build::kGRCh38);
}

void BM_NameSnvD816V(benchmark::State& state) {
    const VariantNamer namer(grch38());
    for (auto _ : state) benchmark::DoNotOptimize(namer.name("KIT", 54733154, "A", "T"));
}
BENCHMARK(BM_NameSnvD816V);

void BM_NameExon11Deletion(benchmark::State& state) {
    const VariantNamer namer(grch38());  // W557_K558del written left-aligned: normalise + 3' shift
    for (auto _ : state) benchmark::DoNotOptimize(namer.name("KIT", 54727433, "CAGTGGA", "C"));
}
BENCHMARK(BM_NameExon11Deletion);

void BM_PanelMatch(benchmark::State& state) {
    const ActivityPanel& panel = default_panel();
    const VariantName name = VariantNamer(grch38()).name("KIT", 54733173, "T", "A");  // N822K
    for (auto _ : state) benchmark::DoNotOptimize(panel.match(name, VariantRole::kSecondary));
}
BENCHMARK(BM_PanelMatch);

// Streaming scan of a VCF whose records all lie outside the targets: the cost per skipped record.
void BM_VcfStreamSkip(benchmark::State& state) {
    const std::string path = "/tmp/kitrx_micro_bench_skip.vcf";
    const int records = 100000;
    {
        std::ofstream out(path);
        out << "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr4,length="
               "190214555>\n"
               "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"AD\">\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n";
        for (int i = 0; i < records; ++i)
            out << "chr1\t" << 1000 + i * 10 << "\t.\tA\tG\t50\tPASS\tDP=100\tAD\t90,10\n";
    }
    Diagnostics diag;
    SourceOptions options;
    options.path = path;
    for (auto _ : state) {
        auto source = open_source(options, diag);
        std::size_t n = 0;
        source->run([&](Observation&&) { ++n; });
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(state.iterations() * records);
    std::remove(path.c_str());
}
BENCHMARK(BM_VcfStreamSkip)->Unit(benchmark::kMillisecond);

// One 150 bp read over KIT exon 17 with one mismatch, counted (no mate buffering: unpaired).
void BM_CountRead(benchmark::State& state) {
    const Exon* exon17 = grch38().transcript("KIT").exon(17);
    const std::int64_t start = exon17->cds_begin - 10;
    std::string seq(grch38().reference().fetch(start, start + 150));
    seq[40] = seq[40] == 'A' ? 'C' : 'A';
    test::ReadBuilder builder("r");
    builder.pos0(start).cigar("150M").seq(seq).qual(35).mapq(60);
    const ReadView view = builder.view();
    CounterSettings settings;
    ReadCounter counter({{exon17->cds_begin - 8, exon17->cds_end + 8}}, grch38().reference(), settings);
    for (auto _ : state) counter.add(view);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CountRead);

}  // namespace

BENCHMARK_MAIN();
