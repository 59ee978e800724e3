// The statistics `ert bench` prints, checked on values worked out by hand.
#include "src/tool/bench_stats.h"

#include <doctest/doctest.h>

#include <vector>

namespace ert::tool {

TEST_CASE("bench_stats: percentile interpolates between neighbouring ranks") {
  const std::vector<double> v = {1, 2, 3, 4};  // Ranks 0..3.
  CHECK(percentile_of_sorted(v, 0) == doctest::Approx(1));
  CHECK(percentile_of_sorted(v, 100) == doctest::Approx(4));
  CHECK(percentile_of_sorted(v, 50) == doctest::Approx(2.5));  // Rank 1.5.
  CHECK(percentile_of_sorted(v, 90) == doctest::Approx(3.7));  // Rank 2.7: 3 + 0.7 * (4 - 3).
  CHECK(percentile_of_sorted(v, -5) == doctest::Approx(1));    // Clamped to [0, 100].
  CHECK(percentile_of_sorted(v, 250) == doctest::Approx(4));
  CHECK(percentile_of_sorted({}, 50) == 0);
  CHECK(percentile_of_sorted({7}, 90) == doctest::Approx(7));
}

TEST_CASE("bench_stats: summarize sorts, and gives sample standard deviation") {
  // Unordered input; sorted it is 2 4 4 4 5 5 7 9: mean 5, squared deviations sum to 32.
  const BenchSummary s = summarize({9, 4, 2, 5, 4, 7, 4, 5});
  CHECK(s.count == 8);
  CHECK(s.min == doctest::Approx(2));
  CHECK(s.max == doctest::Approx(9));
  CHECK(s.mean == doctest::Approx(5));
  CHECK(s.median == doctest::Approx(4.5));        // Rank 3.5 between 4 and 5.
  CHECK(s.p90 == doctest::Approx(7.6));           // Rank 6.3: 7 + 0.3 * (9 - 7).
  CHECK(s.stddev == doctest::Approx(2.1380899));  // sqrt(32 / 7).
  CHECK(s.min <= s.median);
  CHECK(s.median <= s.p90);
  CHECK(s.p90 <= s.max);
}

TEST_CASE("bench_stats: one value and no values") {
  const BenchSummary one = summarize({3.5});
  CHECK(one.count == 1);
  CHECK(one.mean == doctest::Approx(3.5));
  CHECK(one.median == doctest::Approx(3.5));
  CHECK(one.p90 == doctest::Approx(3.5));
  CHECK(one.stddev == 0);
  const BenchSummary none = summarize({});
  CHECK(none.count == 0);
  CHECK(none.mean == 0);
  CHECK(none.max == 0);
}

TEST_CASE("bench_stats: a constant series has no spread despite a large mean") {
  // Around 1e9 the one-pass sum-of-squares formula would lose everything to cancellation.
  const BenchSummary s = summarize({1e9 + 1, 1e9 + 1, 1e9 + 1, 1e9 + 3});
  CHECK(s.mean == doctest::Approx(1e9 + 1.5));
  CHECK(s.stddev == doctest::Approx(1.0));  // Deviations -0.5 x3, 1.5: sum 3, / 3, sqrt.
}

}  // namespace ert::tool
