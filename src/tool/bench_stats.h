// Summary statistics of a series of timings for `ert bench`: mean, median, 90th percentile,
// minimum, maximum and standard deviation. Header-only so that the tests can use it without the
// tool's other sources.
#ifndef ERT_TOOL_BENCH_STATS_H_
#define ERT_TOOL_BENCH_STATS_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace ert::tool {

struct BenchSummary {
  size_t count = 0;
  double mean = 0;
  double median = 0;
  double p90 = 0;
  double min = 0;
  double max = 0;
  double stddev = 0;  // Sample standard deviation (n - 1 in the denominator); 0 for one value.
};

/// The p-th percentile (p in [0, 100]) of ascending values, interpolating linearly between the
/// two nearest ranks (numpy's default), so the median of an even count is the middle pair's mean.
/// 0 for no values.
inline double percentile_of_sorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  p = std::min(100.0, std::max(0.0, p));
  const double rank = p / 100.0 * double(sorted.size() - 1);
  const size_t lo = size_t(std::floor(rank));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = rank - double(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

/// Summarizes values given in any order. Steps: sort a copy; read the order statistics from it;
/// mean in one pass; the deviation in a second pass around that mean (more accurate than the
/// sum-of-squares formula when the spread is small next to the mean, as timings are).
inline BenchSummary summarize(std::vector<double> values) {
  BenchSummary s;
  s.count = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  s.median = percentile_of_sorted(values, 50);
  s.p90 = percentile_of_sorted(values, 90);
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / double(values.size());
  if (values.size() > 1) {
    double squares = 0;
    for (double v : values) squares += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(squares / double(values.size() - 1));
  }
  return s;
}

}  // namespace ert::tool

#endif  // ERT_TOOL_BENCH_STATS_H_
