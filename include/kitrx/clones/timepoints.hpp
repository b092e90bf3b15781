// SPDX-License-Identifier: MIT
// timepoints: several samples of one patient in time order -> per-clone trajectories and
// emerging / expanding / contracting / clearing / stable calls. Also the sample sheet (TSV:
// sample, patient, timepoint, input) that lists them. Flow: SampleClones per sample ->
// build_trajectories -> CloneTrajectory. Prints nothing.
//
// Matching: clones are matched across timepoints by their id (gene + protein names), so a cis
// group must be grouped the same way at every timepoint. A clone absent from a timepoint's
// SampleClones is "not assessed" there and counted as not detected (a VCF without the record
// means the caller did not call it); records with zero supporting reads are not detected with a
// known depth. Both are kept in the trajectory.
//
// Calls between two consecutive timepoints a -> b (TrajectoryOptions gives the thresholds):
//   emerging     not detected at a, detected at b
//   clearing     detected at a, not detected at b
//   expanding    detected at both, value_b >= fold * value_a and, when both intervals are known,
//                low_b > high_a (non-overlapping 95% intervals)
//   contracting  detected at both, value_b <= value_a / fold and, when known, high_b < low_a
//   stable       detected at both, neither of the above
//   absent       not detected at either
// value = clone fraction for secondary clones when both timepoints have a detected primary,
// otherwise the VAF (always the VAF for primary clones: their fraction is 1 by definition).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "kitrx/clones/clones.hpp"
#include "kitrx/common/errors.hpp"

namespace kitrx {

// One row of a sample sheet. Header line required (columns in any order; exactly these four):
//   sample  patient  timepoint  input
// `#` lines and blank lines are skipped. `input` is as written; `input_resolved` is relative to
// the sheet's directory when the sheet is a file and `input` is relative.
struct SampleSheetRow {
    std::string sample;  // sample name inside the input (VCF column / read group SM)
    std::string patient;
    std::string timepoint;  // label: "baseline", "C3D1", "2024-03-01", "56"
    std::string input;
    std::string input_resolved;
    int order = 0;                   // 0-based rank of the timepoint within its patient (see below)
    SourceLocation where;            // file:line of the row
    std::vector<std::string> prior;  // optional column `prior`: drugs failed, comma-separated
};

// Timepoint order within a patient: numeric when every label of the patient is a number (days),
// else ISO dates (YYYY-MM-DD) when all are dates, else the order of the rows in the sheet.
// Problems (missing/unknown/duplicate column, wrong field count, empty field, duplicate
// (patient, timepoint), duplicate (input, sample)) are collected and thrown as one InputError
// whose what() has one "file:line: what" per line. IoError when the file cannot be read.
[[nodiscard]] std::vector<SampleSheetRow> read_sample_sheet(const std::string& path);
[[nodiscard]] std::vector<SampleSheetRow> read_sample_sheet(std::istream& in, const std::string& source_name);

enum class TrajectoryCall { kEmerging, kClearing, kExpanding, kContracting, kStable, kAbsent };
[[nodiscard]] std::string to_string(TrajectoryCall c);
// "emerging", "clearing", "expanding", "contracting", "stable", "absent"

enum class TrajectoryMetric { kCloneFraction, kVaf };
[[nodiscard]] std::string to_string(TrajectoryMetric m);  // "clone_fraction", "vaf"

struct TrajectoryOptions {
    double fold = 2.0;                  // expansion / contraction factor (> 1)
    bool require_ci_separation = true;  // also demand non-overlapping intervals when known
};

// One timepoint of a patient: the clones of one sample.
struct TimepointSample {
    std::string patient;
    std::string timepoint;                 // label
    int order = 0;                         // sort key (SampleSheetRow::order)
    const SampleClones* clones = nullptr;  // must outlive the call
};

struct TrajectoryPoint {
    std::string timepoint;
    std::string sample;
    bool assessed = false;  // the clone (possibly with zero reads) is in this sample
    CloneStatus status = CloneStatus::kNotDetected;
    double vaf = kUnknownFraction;
    ConfidenceInterval vaf_ci;
    double fraction = kUnknownFraction;
    ConfidenceInterval fraction_ci;
    bool primary_detected = false;  // of the sample
};

struct CloneTrajectory {
    std::string patient;
    std::string clone;                           // clone id
    std::string variants;                        // Clone::variant_names()
    VariantRole role = VariantRole::kSecondary;  // as first seen
    std::vector<TrajectoryPoint> points;         // one per timepoint of the patient, in time order
    std::vector<TrajectoryCall> calls;           // points.size() - 1 calls, one per consecutive pair
    std::vector<TrajectoryMetric> metrics;       // the value compared for each call
    // The call between the last two timepoints (kAbsent / stable when only one timepoint:
    // detected -> kStable, else kAbsent).
    TrajectoryCall latest = TrajectoryCall::kAbsent;
};

// Groups `samples` by patient (first-seen order), sorts each patient's timepoints by `order`
// (stable), and builds one trajectory per clone id seen at any timepoint of the patient (first
// appearance order). Throws std::invalid_argument for a null SampleClones pointer or fold <= 1.
[[nodiscard]] std::vector<CloneTrajectory> build_trajectories(const std::vector<TimepointSample>& samples,
                                                              const TrajectoryOptions& options = {});

// The call between two points (rule above), with the metric it used.
[[nodiscard]] TrajectoryCall call_change(const TrajectoryPoint& a,
                                         const TrajectoryPoint& b,
                                         VariantRole role,
                                         const TrajectoryOptions& options,
                                         TrajectoryMetric* metric = nullptr);

}  // namespace kitrx
