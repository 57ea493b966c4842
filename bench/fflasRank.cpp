// FFLAS-FFPACK reference for npm run bench: FFPACK::Rank of a random n x n matrix over Z/PZ.
// Usage: fflasRank SEED P N [N ...]  ->  one JSON line per N: {"n", "rank", "seconds"}
// Entries uniform in [0, P) (seeded); the time is the best of two runs (a fresh copy each time).
#include <fflas-ffpack/fflas-ffpack.h>
#include <givaro/modular.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  unsigned long seed = std::strtoul(argv[1], nullptr, 10);
  double P = std::strtod(argv[2], nullptr);
  typedef Givaro::Modular<double> Field;
  Field F(P);
  for (int a = 3; a < argc; a++) {
    size_t n = std::strtoul(argv[a], nullptr, 10);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long> entry(0, (long)P - 1);
    std::vector<double> source(n * n);
    for (auto &x : source) x = (double)entry(rng);
    double best = 1e300;
    size_t rank = 0;
    for (int run = 0; run < 2; run++) {
      Field::Element_ptr A = FFLAS::fflas_new(F, n, n);
      for (size_t i = 0; i < n * n; i++) A[i] = source[i];
      auto start = std::chrono::steady_clock::now();
      rank = FFPACK::Rank(F, n, n, A, n);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (seconds < best) best = seconds;
      FFLAS::fflas_delete(A);
    }
    std::printf("{\"n\":%zu,\"rank\":%zu,\"seconds\":%.6f}\n", n, rank, best);
    std::fflush(stdout);
  }
  return 0;
}
