// SPDX-License-Identifier: MIT
// yaml_schema (common): the one place that parses YAML. Panels, regimen files, the PK model,
// growth models and acceptance criteria all go through it, so yaml-cpp is included only by
// src/lib/common/yaml_schema.cpp and its types never reach another module.
//
// load() parses one document into a read-only tree of kitrx's own (Node: null, scalar, list or
// mapping, each with its 0-based mark). Node keeps the method names of yaml-cpp's node (IsMap,
// Scalar, Mark, operator[], iteration with ->first/->second over mappings) because the loaders
// were written against them; only what the loaders use exists. Conversions (decode_int,
// decode_bool) defer to yaml-cpp's own so that accepted spellings stay exactly what they were.
//
// The strict-schema helpers below (Problems, Fields, scalar/integer/string_list) implement the
// house rules every loader shares: unknown and repeated keys are errors with a "did you mean",
// every problem of a file is collected (file:line:col: what; hint) and raised as one error.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kitrx/common/errors.hpp"

namespace kitrx::yaml {

// 0-based position in the text, as yaml-cpp reports it; -1 when unknown.
struct Mark {
    int pos = -1;
    int line = -1;
    int column = -1;
    [[nodiscard]] static Mark null_mark() { return {}; }
    [[nodiscard]] bool is_null() const { return pos == -1 && line == -1 && column == -1; }
};

enum class NodeType { kUndefined, kNull, kScalar, kSequence, kMap };

// A YAML syntax error: where, and yaml-cpp's message.
class SyntaxError : public std::runtime_error {
public:
    SyntaxError(Mark where, std::string message)
        : std::runtime_error(message), mark(where), msg(std::move(message)) {}
    Mark mark;
    std::string msg;
};

class Node {
public:
    class iterator;
    Node() = default;  // undefined: what operator[] gives for a missing key

    [[nodiscard]] NodeType Type() const { return data_ ? data_->type : NodeType::kUndefined; }
    [[nodiscard]] bool IsDefined() const { return Type() != NodeType::kUndefined; }
    [[nodiscard]] bool IsNull() const { return Type() == NodeType::kNull; }
    [[nodiscard]] bool IsScalar() const { return Type() == NodeType::kScalar; }
    [[nodiscard]] bool IsSequence() const { return Type() == NodeType::kSequence; }
    [[nodiscard]] bool IsMap() const { return Type() == NodeType::kMap; }
    explicit operator bool() const { return IsDefined(); }

    // Scalar text ("" for anything else); the tag as written ("" or "?" / "!" when untagged).
    [[nodiscard]] const std::string& Scalar() const;
    [[nodiscard]] const std::string& Tag() const;
    [[nodiscard]] yaml::Mark Mark() const { return data_ ? data_->mark : yaml::Mark{}; }
    // Items of a list, entries of a mapping, 0 otherwise.
    [[nodiscard]] std::size_t size() const;

    // The value of the first entry whose key is the scalar `key`; undefined when none (or not a map).
    [[nodiscard]] Node operator[](std::string_view key) const;
    // Item `i` of a list; undefined when out of range (or not a list).
    [[nodiscard]] Node operator[](std::size_t i) const;

    // Lists iterate over their items; mappings over entries whose ->first is the key node and
    // ->second the value (the entry itself is then an undefined node).
    [[nodiscard]] iterator begin() const;
    [[nodiscard]] iterator end() const;

    // yaml-cpp's conversions, exactly: false when the scalar does not convert.
    bool decode_int(int& out) const;
    bool decode_bool(bool& out) const;

    // Builders (used by load(); also by tests).
    static Node make(NodeType type, yaml::Mark mark, std::string scalar = {}, std::string tag = {});
    void push_back(Node item);
    void add(Node key, Node value);

private:
    struct Data {
        NodeType type = NodeType::kUndefined;
        yaml::Mark mark;
        std::string scalar;
        std::string tag;
        std::vector<Node> items;                     // list
        std::vector<std::pair<Node, Node>> entries;  // mapping, in file order (repeats kept)
    };
    std::shared_ptr<Data> data_;
};

// What an iterator points at: a list item (itself), or a mapping entry (first/second).
struct IteratorValue : Node {
    IteratorValue() = default;
    explicit IteratorValue(Node item) : Node(std::move(item)) {}
    IteratorValue(Node key, Node value) : first(std::move(key)), second(std::move(value)) {}
    Node first;
    Node second;
};

class Node::iterator {
public:
    iterator(const Node* owner, std::size_t index) : owner_(owner), index_(index) {}
    const IteratorValue& operator*() const { return current(); }
    const IteratorValue* operator->() const { return &current(); }
    iterator& operator++() {
        ++index_;
        return *this;
    }
    bool operator==(const iterator& o) const { return index_ == o.index_; }
    bool operator!=(const iterator& o) const { return index_ != o.index_; }

private:
    const IteratorValue& current() const;
    const Node* owner_;
    std::size_t index_;
    mutable IteratorValue value_;
};

// Parses exactly what yaml-cpp's YAML::Load parses (the first document); throws SyntaxError.
[[nodiscard]] Node load(std::string_view text);

// The 1-based line of a `---` marker that starts a second document after content, or 0.
// yaml-cpp's Load silently reads only the first document; its LoadAll loops forever on some
// malformed input (found by fuzz_panel), so the loaders look for the marker line themselves
// (document markers sit at column 0, where no scalar content of a document can).
[[nodiscard]] int second_document_line(std::string_view text);

// ---------------------------------------------------------------------------------------------
// Strict schema helpers

// Every problem of one file, "file:line:col: what; hint", capped at kMaxProblems. Panels sort them
// by position when raised (the order then does not depend on the loader's passes); the regimen,
// PK and growth files keep the order found, where a problem's cause is reported before its effects.
class Problems {
public:
    enum class Order { kByPosition, kAsFound };
    explicit Problems(std::string file, Order order = Order::kByPosition)
        : file_(std::move(file)), order_(order) {}
    // A generated file can hold millions of duplicate pairs: at most this many are kept; the
    // raised error says how many more there were.
    static constexpr std::size_t kMaxProblems = 100;

    void add(const yaml::Mark& mark, const std::string& what, const std::string& hint = "");
    [[nodiscard]] bool empty() const { return items_.empty(); }
    [[nodiscard]] bool full() const { return items_.size() >= kMaxProblems; }
    [[nodiscard]] std::size_t size() const { return items_.size(); }
    [[nodiscard]] const std::string& file() const { return file_; }
    // The problem lines, sorted, with the "N more problems" line when capped.
    [[nodiscard]] std::vector<std::string> lines();
    // Throws E(file, lines()); E is a ProblemListError (PanelError, RegimenError, ...).
    template <class E>
    [[noreturn]] void raise() {
        throw E(file_, lines());
    }
    template <class E>
    void raise_if_any() {
        if (!empty()) raise<E>();
    }

private:
    struct Problem {
        int line = 0;
        int column = 0;
        std::string text;
    };
    std::string file_;
    Order order_;
    std::vector<Problem> items_;
    std::size_t dropped_ = 0;
};

struct Field {
    std::string key;
    yaml::Mark key_mark;
    Node value;
};

// The entries of a mapping whose keys are in `allowed`; unknown keys (with a "did you mean")
// and repeated keys are reported.
class Fields {
public:
    Fields(const Node& node,
           const std::string& what,
           const std::vector<std::string>& allowed,
           Problems& problems);
    [[nodiscard]] const Field* get(std::string_view key) const;
    // The field, or nullptr after reporting it missing.
    const Field* require(std::string_view key, Problems& problems) const;
    [[nodiscard]] const yaml::Mark& mark() const { return mark_; }
    [[nodiscard]] const std::vector<Field>& all() const { return fields_; }

private:
    yaml::Mark mark_;
    std::string what_;
    std::vector<Field> fields_;
};

// "nothing", "'text'", "a list", "a mapping": what a value was, for messages.
[[nodiscard]] std::string node_kind(const Node& n);
// A non-empty text value, else nullopt after reporting.
std::optional<std::string> scalar(const Field* f, const std::string& what, Problems& problems);
// A whole number (decimal digits, optional sign), else nullopt after reporting.
std::optional<int> integer(const Field* f, const std::string& what, Problems& problems);
// A text value or a list of them, each with its mark.
std::vector<std::pair<std::string, yaml::Mark>> string_list(const Field* f,
                                                            const std::string& what,
                                                            Problems& problems);

}  // namespace kitrx::yaml
