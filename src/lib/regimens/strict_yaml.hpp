// SPDX-License-Identifier: MIT
// strict_yaml (regimens, private): the schema wording of the regimen file, the PK table and the
// growth model ("expected one of: ...", "missing key 'x'") on top of common/yaml_schema's tree and
// problem list (kept in the order found: these loaders report a cause before its effects).
#pragma once

#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kitrx/common/yaml_schema.hpp"

namespace kitrx::regimen_yaml {

using Problems = yaml::Problems;
// The problem list of one of these files.
[[nodiscard]] inline Problems problems_for(const std::string& file) {
    return Problems(file, Problems::Order::kAsFound);
}

// `path` opened after the size check of common/limits (kMaxYamlBytes, `size_kind` names the file
// in that message); IoError "cannot open <noun> 'path': reason" when it cannot be read.
[[nodiscard]] std::ifstream open_file(const std::string& path,
                                      const char* size_kind,
                                      const std::string& noun);

// The whole stream parsed as YAML; a syntax error is raised as a RegimenError of one problem.
[[nodiscard]] yaml::Node parse(std::istream& in, const std::string& source_name);

// Checks that `node` is a mapping whose keys are all in `allowed` and appear once; false (after
// recording the problem) when it is not a mapping.
bool check_map(const yaml::Node& node,
               const std::string& what,
               const std::vector<std::string>& allowed,
               Problems& problems);
// map[key] as a single value; nullopt when absent (a problem when `required`) or not a scalar.
std::optional<std::string> get_string(const yaml::Node& map,
                                      const std::string& key,
                                      const std::string& what,
                                      bool required,
                                      Problems& problems);
// map[key] as a list of non-empty values with their marks; empty when absent.
std::vector<std::pair<std::string, yaml::Mark>> get_string_list(const yaml::Node& map,
                                                                const std::string& key,
                                                                const std::string& what,
                                                                Problems& problems);
// map[key] as true/false (yaml-cpp's spellings); nullopt when absent or malformed.
std::optional<bool> get_bool(const yaml::Node& map,
                             const std::string& key,
                             const std::string& what,
                             Problems& problems);
// A finite number (strtod, whole text).
std::optional<double> get_number(const yaml::Node& node, const std::string& what, Problems& problems);
// A whole number in 1..100000; the message names the `unit` (" of days" unless told).
std::optional<int> get_positive_int(const yaml::Node& node,
                                    const std::string& what,
                                    Problems& problems,
                                    const char* unit = " of days");

}  // namespace kitrx::regimen_yaml
