// SPDX-License-Identifier: MIT
// Build-time tool: YAML -> JSON with every scalar kept as a string (null stays null), so that the
// shipped panel can be embedded as JSON and rebuilt into the same YAML node tree at run time
// without yaml-cpp's parser (which takes ~30 ms on the 57 KB panel; see panel.cpp default_panel()).
// Usage: kitrx_yaml_to_json IN.yaml OUT.json
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace {

nlohmann::ordered_json convert(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Sequence: {
            auto out = nlohmann::ordered_json::array();
            for (const auto& item : node) out.push_back(convert(item));
            return out;
        }
        case YAML::NodeType::Map: {
            auto out = nlohmann::ordered_json::object();
            for (const auto& kv : node) out[kv.first.as<std::string>()] = convert(kv.second);
            return out;
        }
        case YAML::NodeType::Scalar:
            return node.Scalar();
        default:
            return nullptr;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: kitrx_yaml_to_json IN.yaml OUT.json\n";
        return 2;
    }
    try {
        const YAML::Node root = YAML::LoadFile(argv[1]);
        std::ofstream out(argv[2]);
        out << convert(root).dump() << '\n';
        return out ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "kitrx_yaml_to_json: " << argv[1] << ": " << e.what() << '\n';
        return 1;
    }
}
