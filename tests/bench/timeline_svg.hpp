// The chart of boot timelines the bench commits next to BENCHMARKS.md: an SVG file, one row
// per step, one horizontal bar per boot in the row (from the step's start, as long as it
// took), a dot for an event without a duration; seconds since qemu started on the x axis.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "boot_timeline.hpp"

namespace berth::bench {

// The whole SVG document. Step and boot names are escaped; at most 200 rows are drawn.
std::string timeline_svg(const std::vector<BootTimeline>& boots, std::string_view title);

// The link to `chart` from the markdown file `document`, relative to the document's
// directory (the current one when it names none): "docs/bench/boot-timeline-X.svg".
std::string chart_link(const std::filesystem::path& chart, const std::filesystem::path& document);

// `text` with &, <, >, " and ' as XML entities and control characters as '?'.
std::string xml_escape(std::string_view text);

}  // namespace berth::bench
