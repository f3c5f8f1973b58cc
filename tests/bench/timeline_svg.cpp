#include "timeline_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace berth::bench {
namespace {

constexpr std::size_t kMaxRows = 200;
constexpr double kLabelWidth = 390;    // the step names, right-aligned against the chart
constexpr std::size_t kMaxLabel = 60;  // characters of a step name that fit in kLabelWidth
constexpr double kChartWidth = 760;
constexpr double kMargin = 12;
constexpr double kBarHeight = 5;
constexpr double kBarGap = 1;
constexpr double kRowPadding = 4;
constexpr double kLegendTop = 34;
constexpr double kLegendLine = 16;
constexpr const char* kColors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759",
                                   "#b07aa1", "#76b7b2", "#edc948", "#9c755f"};

std::string num(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// Ticks every 5, 10, 30 or 60 s: about ten across the chart.
double tick_step(double span) {
  for (const double step : {5.0, 10.0, 30.0, 60.0}) {
    if (span / step <= 12) return step;
  }
  return 120;
}

}  // namespace

std::string chart_link(const std::filesystem::path& chart, const std::filesystem::path& document) {
  const std::filesystem::path base =
      document.has_parent_path() ? document.parent_path() : std::filesystem::path(".");
  return std::filesystem::absolute(chart)
      .lexically_normal()
      .lexically_relative(std::filesystem::absolute(base).lexically_normal())
      .generic_string();
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
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
        out += "&apos;";
        break;
      default:
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
  }
  return out;
}

std::string timeline_svg(const std::vector<BootTimeline>& boots, std::string_view title) {
  std::vector<std::string> rows = merged_step_names(boots);
  if (rows.size() > kMaxRows) rows.resize(kMaxRows);

  double end = 0;
  for (const auto& boot : boots) {
    for (const auto& step : boot.steps) end = std::max(end, step.start + step.duration.value_or(0));
  }
  const double tick = tick_step(end);
  const double span = std::max(tick, std::ceil(end / tick) * tick);
  const double scale = kChartWidth / span;
  const std::size_t lanes = std::max<std::size_t>(boots.size(), 1);
  const double row_height = kRowPadding * 2 + static_cast<double>(lanes) * (kBarHeight + kBarGap);
  const double chart_left = kMargin + kLabelWidth;
  const double width = chart_left + kChartWidth + kMargin + 20;

  // Legend: one colour per boot, as many lines as it takes.
  std::string legend;
  double legend_x = kMargin;
  double legend_y = kLegendTop;
  for (std::size_t b = 0; b < boots.size(); ++b) {
    const char* color = kColors[b % std::size(kColors)];
    std::string label = boots[b].mode;
    if (boots[b].docker_answered) {
      label += " (Docker answering at " + num(*boots[b].docker_answered) + " s)";
    }
    const double item_width = 28 + 6.2 * static_cast<double>(label.size());
    if (legend_x > kMargin && legend_x + item_width > width - kMargin) {
      legend_x = kMargin;
      legend_y += kLegendLine;
    }
    legend += "<rect x=\"" + num(legend_x) + "\" y=\"" + num(legend_y) +
              "\" width=\"12\" height=\"10\" fill=\"" + color + "\"/>\n";
    legend += "<text x=\"" + num(legend_x + 16) + "\" y=\"" + num(legend_y + 9) + "\">" +
              xml_escape(label) + "</text>\n";
    legend_x += item_width;
  }

  const double chart_top = legend_y + 40;  // below the legend and the axis' numbers
  const double chart_bottom = chart_top + static_cast<double>(rows.size()) * row_height;
  const double height = chart_bottom + 36;

  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
         num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  svg += "<text x=\"" + num(kMargin) + "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" +
         xml_escape(title) + "</text>\n";
  svg += legend;

  // Rows: a light band every other row, the step's name on the left.
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double y = chart_top + static_cast<double>(r) * row_height;
    if (r % 2 == 0) {
      svg += "<rect x=\"" + num(kMargin) + "\" y=\"" + num(y) + "\" width=\"" +
             num(kLabelWidth + kChartWidth) + "\" height=\"" + num(row_height) +
             "\" fill=\"#f2f2f2\"/>\n";
    }
    // Cut to what fits left of the chart; the whole name shows on hovering.
    const std::string label =
        rows[r].size() > kMaxLabel ? rows[r].substr(0, kMaxLabel - 3) + "..." : rows[r];
    svg += "<text x=\"" + num(chart_left - 6) + "\" y=\"" + num(y + row_height / 2 + 4) +
           "\" text-anchor=\"end\"><title>" + xml_escape(rows[r]) + "</title>" + xml_escape(label) +
           "</text>\n";
  }

  // The time axis: grid lines and seconds.
  for (double t = 0; t <= span + 1e-9; t += tick) {
    const double x = chart_left + t * scale;
    svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(chart_top - 4) + "\" x2=\"" + num(x) +
           "\" y2=\"" + num(chart_bottom) + "\" stroke=\"#cccccc\" stroke-width=\"0.5\"/>\n";
    svg += "<text x=\"" + num(x) + "\" y=\"" + num(chart_top - 8) +
           "\" text-anchor=\"middle\" fill=\"#555555\">" + std::to_string(std::lround(t)) +
           "</text>\n";
  }
  svg += "<text x=\"" + num(chart_left + kChartWidth / 2) + "\" y=\"" + num(chart_bottom + 24) +
         "\" text-anchor=\"middle\" fill=\"#555555\">seconds since qemu started</text>\n";

  // The bars; each carries a tooltip with its numbers.
  for (std::size_t b = 0; b < boots.size(); ++b) {
    const char* color = kColors[b % std::size(kColors)];
    for (const auto& step : boots[b].steps) {
      const auto row = std::find(rows.begin(), rows.end(), step.name);
      if (row == rows.end()) continue;
      const double y = chart_top + static_cast<double>(row - rows.begin()) * row_height +
                       kRowPadding + static_cast<double>(b) * (kBarHeight + kBarGap);
      const double x = chart_left + step.start * scale;
      std::string tip = boots[b].mode + ": " + step.name + ", at " + num(step.start) + " s";
      if (step.duration) {
        tip += ", " + num(*step.duration) + " s";
        svg += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
               num(std::max(1.0, *step.duration * scale)) + "\" height=\"" + num(kBarHeight) +
               "\" fill=\"" + color + "\"><title>" + xml_escape(tip) + "</title></rect>\n";
      } else {
        svg += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y + kBarHeight / 2) +
               "\" r=\"3\" fill=\"" + color + "\"><title>" + xml_escape(tip) +
               "</title></circle>\n";
      }
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace berth::bench
