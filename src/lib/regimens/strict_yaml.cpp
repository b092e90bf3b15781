// SPDX-License-Identifier: MIT
// strict_yaml (regimens, private): see strict_yaml.hpp for why these files keep their own rules.
#include "strict_yaml.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <set>

#include "kitrx/common/limits.hpp"
#include "kitrx/common/text.hpp"
#include "kitrx/regimens/regimens.hpp"

namespace kitrx::regimen_yaml {

std::ifstream open_file(const std::string& path, const char* size_kind, const std::string& noun) {
    check_file_size(path, kMaxYamlBytes, size_kind);
    std::ifstream in(path);
    if (!in) throw IoError("cannot open " + noun + " '" + path + "': " + std::strerror(errno));
    return in;
}

yaml::Node parse(std::istream& in, const std::string& source_name) {
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    try {
        return yaml::load(text);
    } catch (const yaml::SyntaxError& e) {
        Problems p = problems_for(source_name);
        p.add(e.mark, e.msg, "the file is not valid YAML");
        p.raise<RegimenError>();
    }
}

bool check_map(const yaml::Node& node,
               const std::string& what,
               const std::vector<std::string>& allowed,
               Problems& problems) {
    if (!node.IsMap()) {
        problems.add(node.Mark(), what + " must be a mapping");
        return false;
    }
    std::set<std::string> seen;
    for (const auto& kv : node) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            problems.add(kv.first.Mark(), "unknown key '" + key + "' in " + what,
                         "expected one of: " + join(allowed, ", "));
        else if (!seen.insert(key).second)
            problems.add(kv.first.Mark(), "duplicate key '" + key + "' in " + what);
    }
    return true;
}

std::optional<std::string> get_string(const yaml::Node& map,
                                      const std::string& key,
                                      const std::string& what,
                                      bool required,
                                      Problems& problems) {
    const yaml::Node node = map[key];
    if (!node) {
        if (required) problems.add(map.Mark(), what + ": missing key '" + key + "'");
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        problems.add(node.Mark(), what + "." + key + " must be a single value");
        return std::nullopt;
    }
    return node.Scalar();
}

std::vector<std::pair<std::string, yaml::Mark>> get_string_list(const yaml::Node& map,
                                                                const std::string& key,
                                                                const std::string& what,
                                                                Problems& problems) {
    std::vector<std::pair<std::string, yaml::Mark>> out;
    const yaml::Node node = map[key];
    if (!node) return out;
    if (!node.IsSequence()) {
        problems.add(node.Mark(), what + "." + key + " must be a list");
        return out;
    }
    for (const auto& item : node) {
        if (!item.IsScalar() || item.Scalar().empty())
            problems.add(item.Mark(), what + "." + key + ": items must be non-empty values");
        else
            out.emplace_back(item.Scalar(), item.Mark());
    }
    return out;
}

std::optional<bool> get_bool(const yaml::Node& map,
                             const std::string& key,
                             const std::string& what,
                             Problems& problems) {
    const yaml::Node node = map[key];
    if (!node) return std::nullopt;
    bool value = false;
    if (!node.IsScalar() || !node.decode_bool(value)) {
        problems.add(node.Mark(), what + "." + key + " must be true or false");
        return std::nullopt;
    }
    return value;
}

std::optional<double> get_number(const yaml::Node& node, const std::string& what, Problems& problems) {
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size() && std::isfinite(value)) return value;
    }
    problems.add(node.Mark(), what + " must be a number");
    return std::nullopt;
}

std::optional<int> get_positive_int(const yaml::Node& node,
                                    const std::string& what,
                                    Problems& problems,
                                    const char* unit) {
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        char* end = nullptr;
        const long value = std::strtol(text.c_str(), &end, 10);
        if (!text.empty() && end == text.c_str() + text.size() && value > 0 && value <= 100000)
            return static_cast<int>(value);
    }
    problems.add(node.Mark(), what + " must be a whole number" + unit + " > 0");
    return std::nullopt;
}

}  // namespace kitrx::regimen_yaml
