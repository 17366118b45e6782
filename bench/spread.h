#pragma once
// min / median / max of a benchmark row's runs: every table prints its spread, not one number.

#include <algorithm>
#include <vector>

struct Spread {
    double min = 0, median = 0, max = 0;
};

// The median of an even count is the mean of the middle two; no runs give zeros.
inline Spread spread(std::vector<double> values) {
    if (values.empty()) return {};
    std::ranges::sort(values);
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    return {values.front(), median, values.back()};
}
