// SPDX-License-Identifier: MIT
#include "kitrx/common/resources.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace kitrx::detail {
extern const std::pair<std::string_view, std::string_view> kEmbeddedResources[];
}

namespace kitrx {

static const std::string_view* find_resource(std::string_view relative_path) {
    for (auto* entry = detail::kEmbeddedResources; !entry->first.empty(); ++entry)
        if (entry->first == relative_path) return &entry->second;
    return nullptr;
}

std::string_view embedded_resource(std::string_view relative_path) {
    if (const auto* content = find_resource(relative_path)) return *content;
    throw std::logic_error("internal error: resource '" + std::string(relative_path) +
                           "' is not compiled in; please report");
}

bool has_embedded_resource(std::string_view relative_path) {
    return find_resource(relative_path) != nullptr;
}

std::vector<std::string> embedded_resource_names() {
    std::vector<std::string> names;
    for (auto* entry = detail::kEmbeddedResources; !entry->first.empty(); ++entry)
        names.emplace_back(entry->first);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace kitrx
