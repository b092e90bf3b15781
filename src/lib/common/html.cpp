// SPDX-License-Identifier: MIT
// html (common): the escaper and the page frame shared by report.html and validation.html.
#include "kitrx/common/html.hpp"

#include "kitrx/common/errors.hpp"
#include "kitrx/version.hpp"

namespace kitrx {

std::string html_escape(std::string_view raw) {
    const std::string text = valid_utf8(raw);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

void write_page_head(std::ostream& out, std::string_view title, std::initializer_list<std::string_view> css) {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"kitrx "
        << KITRX_VERSION << "\">\n<title>" << html_escape(title) << "</title>\n<style>\n";
    for (std::string_view part : css) out << part;
    out << "</style>\n</head>\n";
}

}  // namespace kitrx
