// SPDX-License-Identifier: MIT
// The only user of yaml-cpp: one document -> kitrx::yaml::Node, and yaml-cpp's conversions.
#include "kitrx/common/yaml_schema.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

#include <yaml-cpp/yaml.h>

#include "kitrx/common/text.hpp"

namespace kitrx::yaml {

namespace {

const std::string kEmpty;

Mark mark_of(const YAML::Mark& m) {
    return Mark{m.pos, m.line, m.column};
}

Node convert(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Undefined:
            return Node();
        case YAML::NodeType::Null:
            return Node::make(NodeType::kNull, mark_of(n.Mark()), {}, n.Tag());
        case YAML::NodeType::Scalar:
            return Node::make(NodeType::kScalar, mark_of(n.Mark()), n.Scalar(), n.Tag());
        case YAML::NodeType::Sequence: {
            Node out = Node::make(NodeType::kSequence, mark_of(n.Mark()), {}, n.Tag());
            for (const auto& item : n) out.push_back(convert(item));
            return out;
        }
        case YAML::NodeType::Map: {
            Node out = Node::make(NodeType::kMap, mark_of(n.Mark()), {}, n.Tag());
            for (auto it = n.begin(); it != n.end(); ++it) out.add(convert(it->first), convert(it->second));
            return out;
        }
    }
    return Node();
}

}  // namespace

Node Node::make(NodeType type, yaml::Mark mark, std::string scalar, std::string tag) {
    Node n;
    n.data_ = std::make_shared<Data>();
    n.data_->type = type;
    n.data_->mark = mark;
    n.data_->scalar = std::move(scalar);
    n.data_->tag = std::move(tag);
    return n;
}

void Node::push_back(Node item) {
    if (data_) data_->items.push_back(std::move(item));
}

void Node::add(Node key, Node value) {
    if (data_) data_->entries.emplace_back(std::move(key), std::move(value));
}

const std::string& Node::Scalar() const {
    return data_ && data_->type == NodeType::kScalar ? data_->scalar : kEmpty;
}

const std::string& Node::Tag() const {
    return data_ ? data_->tag : kEmpty;
}

std::size_t Node::size() const {
    if (!data_) return 0;
    if (data_->type == NodeType::kSequence) return data_->items.size();
    if (data_->type == NodeType::kMap) return data_->entries.size();
    return 0;
}

Node Node::operator[](std::string_view key) const {
    if (!IsMap()) return Node();
    for (const auto& [k, v] : data_->entries)
        if (k.IsScalar() && k.Scalar() == key) return v;
    return Node();
}

Node Node::operator[](std::size_t i) const {
    if (!IsSequence() || i >= data_->items.size()) return Node();
    return data_->items[i];
}

Node::iterator Node::begin() const {
    return iterator(this, 0);
}

Node::iterator Node::end() const {
    return iterator(this, size());
}

const IteratorValue& Node::iterator::current() const {
    if (owner_->IsSequence())
        value_ = IteratorValue(owner_->data_->items[index_]);
    else
        value_ = IteratorValue(owner_->data_->entries[index_].first, owner_->data_->entries[index_].second);
    return value_;
}

bool Node::decode_int(int& out) const {
    if (!IsScalar()) return false;
    return YAML::convert<int>::decode(YAML::Node(Scalar()), out);
}

bool Node::decode_bool(bool& out) const {
    if (!IsScalar()) return false;
    return YAML::convert<bool>::decode(YAML::Node(Scalar()), out);
}

Node load(std::string_view text) {
    try {
        return convert(YAML::Load(std::string(text)));
    } catch (const YAML::Exception& e) {
        throw SyntaxError(mark_of(e.mark), e.msg);
    }
}

int second_document_line(std::string_view text) {
    int line_number = 0;
    bool content = false;
    for (std::size_t begin = 0; begin < text.size();) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        const std::string_view line(text.data() + begin, end - begin);
        ++line_number;
        begin = end + 1;
        const bool marker = line.rfind("---", 0) == 0 &&
                            (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
        if (marker && content) return line_number;
        const auto first = line.find_first_not_of(" \t\r");
        if (!marker && first != std::string_view::npos && line[first] != '#' && line[first] != '%')
            content = true;
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Strict schema helpers

void Problems::add(const yaml::Mark& mark, const std::string& what, const std::string& hint) {
    if (items_.size() >= kMaxProblems) {
        ++dropped_;
        return;
    }
    SourceLocation where{file_, mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0,
                         ""};
    std::string text = where.to_string() + ": " + what;
    if (!hint.empty()) text += "; " + hint;
    items_.push_back({where.line, where.column, std::move(text)});
}

std::vector<std::string> Problems::lines() {
    if (order_ == Order::kByPosition)
        std::stable_sort(items_.begin(), items_.end(), [](const Problem& a, const Problem& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
    std::vector<std::string> out;
    for (const auto& p : items_) out.push_back(p.text);
    if (dropped_ > 0 || full())
        out.push_back(file_ + ": " +
                      (dropped_ > 0 ? std::to_string(dropped_) + " more problems not listed"
                                    : "further problems not searched") +
                      " (the first " + std::to_string(kMaxProblems) + " are shown)");
    return out;
}

Fields::Fields(const Node& node,
               const std::string& what,
               const std::vector<std::string>& allowed,
               Problems& problems)
    : mark_(node.Mark()), what_(what) {
    for (auto it = node.begin(); it != node.end(); ++it) {
        const Node key = it->first;
        if (!key.IsScalar()) {
            problems.add(key.Mark(), "a key of " + what + " is not a plain name");
            continue;
        }
        const std::string k = key.Scalar();
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
            std::string hint = suggestion(k, allowed);
            hint += (hint.empty() ? "" : " ") + std::string("allowed keys: ") + join(allowed);
            problems.add(key.Mark(), "unknown key '" + k + "' in " + what, hint);
            continue;
        }
        if (get(k)) {
            problems.add(key.Mark(), "duplicate key '" + k + "' in " + what,
                         "first given at line " + std::to_string(get(k)->key_mark.line + 1));
            continue;
        }
        fields_.push_back({k, key.Mark(), it->second});
    }
}

const Field* Fields::get(std::string_view key) const {
    for (const auto& f : fields_)
        if (f.key == key) return &f;
    return nullptr;
}

const Field* Fields::require(std::string_view key, Problems& problems) const {
    const Field* f = get(key);
    if (!f) problems.add(mark_, what_ + " is missing required key '" + std::string(key) + "'");
    return f;
}

std::string node_kind(const Node& n) {
    if (n.IsNull()) return "nothing";
    if (n.IsScalar()) return "'" + n.Scalar() + "'";
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    return "an invalid node";
}

std::optional<std::string> scalar(const Field* f, const std::string& what, Problems& problems) {
    if (!f) return std::nullopt;
    if (!f->value.IsScalar() || f->value.Scalar().empty()) {
        problems.add(f->value.IsNull() ? f->key_mark : f->value.Mark(),
                     what + ": '" + f->key + "' must be a text value, got " + node_kind(f->value));
        return std::nullopt;
    }
    return f->value.Scalar();
}

std::optional<int> integer(const Field* f, const std::string& what, Problems& problems) {
    const auto s = scalar(f, what, problems);
    if (!s) return std::nullopt;
    int v = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || end != s->data() + s->size()) {
        problems.add(f->value.Mark(), what + ": '" + f->key + "' must be a whole number, got '" + *s + "'");
        return std::nullopt;
    }
    return v;
}

std::vector<std::pair<std::string, yaml::Mark>> string_list(const Field* f,
                                                            const std::string& what,
                                                            Problems& problems) {
    std::vector<std::pair<std::string, yaml::Mark>> out;
    if (!f) return out;
    if (f->value.IsScalar()) {
        out.emplace_back(f->value.Scalar(), f->value.Mark());
    } else if (f->value.IsSequence()) {
        for (const auto& item : f->value) {
            if (item.IsScalar() && !item.Scalar().empty())
                out.emplace_back(item.Scalar(), item.Mark());
            else
                problems.add(item.Mark(),
                             what + ": '" + f->key + "' items must be text values, got " + node_kind(item));
        }
    } else {
        problems.add(f->key_mark, what + ": '" + f->key + "' must be a text value or a list of them, got " +
                                      node_kind(f->value));
    }
    return out;
}

}  // namespace kitrx::yaml
