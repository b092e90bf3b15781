// SPDX-License-Identifier: MIT
// Access to the files under resources/ that are compiled into the library (see
// cmake/embed_resources.cmake): transcript tables, reference sequence, default panel, regimens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kitrx {

// Content of resources/<relative_path>; throws std::logic_error ("internal error") when absent.
[[nodiscard]] std::string_view embedded_resource(std::string_view relative_path);
[[nodiscard]] bool has_embedded_resource(std::string_view relative_path);
// Relative paths of all embedded resources, sorted.
[[nodiscard]] std::vector<std::string> embedded_resource_names();

}  // namespace kitrx
